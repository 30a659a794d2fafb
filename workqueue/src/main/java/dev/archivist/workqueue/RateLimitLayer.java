package dev.archivist.workqueue;

import java.time.Duration;
import java.util.Objects;

/**
 * Adds per-item retry spacing to a {@link DelayingQueue} (client-go's {@code
 * rate_limiting_queue.go}). It holds no lock and no state of its own: the rate limiter is
 * thread-safe, and it is called before the delaying layer takes its lock.
 */
final class RateLimitLayer<T> extends ForwardingWorkQueue<T>
    implements RateLimitingQueue<T> {
  private final DelayingQueue<T> queue;
  private final RateLimiter<? super T> limiter;

  RateLimitLayer(DelayingQueue<T> queue, RateLimiter<? super T> limiter) {
    this.queue = Objects.requireNonNull(queue, "queue");
    this.limiter = Objects.requireNonNull(limiter, "limiter");
  }

  @Override
  public boolean addRateLimited(T item) {
    Objects.requireNonNull(item, "item");
    if (queue.isShuttingDown()) {
      return false;
    }
    return queue.addAfter(item, limiter.when(item));
  }

  @Override
  public void forget(T item) {
    limiter.forget(Objects.requireNonNull(item, "item"));
  }

  @Override
  public int numRequeues(T item) {
    return limiter.numRequeues(Objects.requireNonNull(item, "item"));
  }

  @Override
  public boolean addAfter(T item, Duration delay) {
    return queue.addAfter(item, delay);
  }

  @Override
  WorkQueue<T> delegate() {
    return queue;
  }

  /** The delaying layer underneath; for tests that drive its loop by hand. */
  DelayingQueue<T> inner() {
    return queue;
  }

  @Override
  public String toString() {
    return "RateLimiting" + queue;
  }
}
