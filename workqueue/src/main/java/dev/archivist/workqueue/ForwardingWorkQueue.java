package dev.archivist.workqueue;

import java.time.Duration;

/**
 * A {@link WorkQueue} that hands every call to the layer underneath, so that a decorating layer
 * (delaying, rate-limiting) states only what it adds. It holds no state and no lock.
 */
abstract class ForwardingWorkQueue<T> implements WorkQueue<T> {

  /** The layer underneath; the same object on every call. */
  abstract WorkQueue<T> delegate();

  @Override
  public boolean add(T item) {
    return delegate().add(item);
  }

  @Override
  public T get() throws InterruptedException {
    return delegate().get();
  }

  @Override
  public T tryGet() {
    return delegate().tryGet();
  }

  @Override
  public void done(T item) {
    delegate().done(item);
  }

  @Override
  public int len() {
    return delegate().len();
  }

  @Override
  public void shutDown() {
    delegate().shutDown();
  }

  @Override
  public void shutDownWithDrain() throws InterruptedException {
    delegate().shutDownWithDrain();
  }

  @Override
  public boolean shutDownWithDrain(Duration timeout) throws InterruptedException {
    return delegate().shutDownWithDrain(timeout);
  }

  @Override
  public boolean isShuttingDown() {
    return delegate().isShuttingDown();
  }
}
