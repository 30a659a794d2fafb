package dev.archivist.workqueue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Adds {@link #addAfter} to a {@link BasicWorkQueue} (client-go's {@code delaying_queue.go}).
 *
 * <h2>Concurrency</h2>
 *
 * <p>One thread, made by the injected {@link ThreadFactory} at build time, runs {@link #run}: it
 * moves items whose deadline has passed into the queue, then waits on {@code changed} until the
 * next deadline (computed from the injected {@link Ticker}) or until an earlier one is offered.
 * {@code lock} guards {@code waiting}, {@code replan} and {@code stopped}; it is never held while
 * calling the inner queue or the metrics, and the inner queue's lock is never held while taking
 * it, so the two locks never nest.
 *
 * <p>The loop body is {@link #pump()}, a step driven by one ticker reading: tests with a fake
 * ticker build the queue with a thread factory whose thread does nothing, and call {@code pump()}
 * themselves after moving time.
 *
 * <p>Invariants: once {@code stopped}, {@code waiting} is empty and stays empty. {@code replan} is
 * set whenever an offer made the earliest deadline earlier since the loop last computed its wait,
 * so the loop never sleeps past a deadline it has not seen.
 */
final class DelayLayer<T> extends ForwardingWorkQueue<T> implements DelayingQueue<T> {
  private final BasicWorkQueue<T> queue;
  private final Ticker ticker;
  private final QueueMetrics metrics;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  /** Guarded by {@code lock}. */
  private final WaitingSet<T> waiting = new WaitingSet<>();
  /** Guarded by {@code lock}. */
  private boolean replan;
  /** Guarded by {@code lock}. */
  private boolean stopped;

  private DelayLayer(BasicWorkQueue<T> queue, Ticker ticker, QueueMetrics metrics) {
    this.queue = queue;
    this.ticker = ticker;
    this.metrics = metrics;
  }

  /** Builds the queue and starts its waiting thread. */
  static <T> DelayLayer<T> start(
      BasicWorkQueue<T> queue, Ticker ticker, QueueMetrics metrics, ThreadFactory threads) {
    DelayLayer<T> delaying = new DelayLayer<>(queue, ticker, metrics);
    Thread thread = threads.newThread(delaying::run);
    if (thread == null) {
      throw new IllegalStateException("the thread factory " + threads
          + " refused to make the delaying queue's waiting thread");
    }
    thread.start();
    return delaying;
  }

  @Override
  public boolean addAfter(T item, Duration delay) {
    Objects.requireNonNull(item, "item");
    Objects.requireNonNull(delay, "delay");
    if (queue.isShuttingDown()) {
      return false;
    }
    metrics.retried();
    long nanos = BasicWorkQueue.saturatedNanos(delay);
    if (nanos <= 0) {
      return queue.readmit(item);
    }
    // Keep deadlines within half the ticker's range of now, so subtraction compares them safely.
    long deadline = ticker.read() + Math.min(nanos, Long.MAX_VALUE / 2);
    lock.lock();
    try {
      if (stopped) {
        return false;
      }
      if (waiting.offer(item, deadline)) {
        replan = true;
        changed.signal();
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Moves every item whose deadline has passed into the queue.
   *
   * @return nanoseconds until the next deadline, or {@link WaitingSet#NOTHING_WAITING}
   */
  long pump() {
    List<T> ready = new ArrayList<>();
    long now = ticker.read();
    long wait;
    lock.lock();
    try {
      if (stopped) {
        return WaitingSet.NOTHING_WAITING;
      }
      wait = waiting.drainReady(now, ready::add);
      replan = false;
    } finally {
      lock.unlock();
    }
    // Every ready item has left the waiting set: hand each one over even if a metrics sink
    // throws for another, then report the first failure.
    RuntimeException failure = null;
    for (T item : ready) {
      try {
        queue.readmit(item);
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
    return wait;
  }

  /** The waiting thread's loop; ends when the queue shuts down or the thread is interrupted. */
  private void run() {
    try {
      while (true) {
        long wait;
        try {
          wait = pump();
        } catch (RuntimeException e) {
          // A failing metrics sink must not stop retries from being delivered: report it and
          // go on (the items of that step were handed over anyway).
          Thread self = Thread.currentThread();
          self.getUncaughtExceptionHandler().uncaughtException(self, e);
          continue;
        }
        lock.lock();
        try {
          if (stopped) {
            return;
          }
          if (!replan) {
            if (wait == WaitingSet.NOTHING_WAITING) {
              changed.await();
            } else {
              changed.awaitNanos(wait);
            }
          }
        } finally {
          lock.unlock();
        }
      }
    } catch (InterruptedException e) {
      // Only shutdown should stop this thread; if someone else interrupts it, stop too and keep
      // the flag for the thread's owner to see.
      Thread.currentThread().interrupt();
    }
  }

  /** Number of items waiting for their deadline; for tests. */
  int waitingCount() {
    lock.lock();
    try {
      return waiting.size();
    } finally {
      lock.unlock();
    }
  }

  /** Whether the calling thread holds this layer's lock; tests assert it never does in metrics. */
  boolean lockHeldByCurrentThread() {
    return lock.isHeldByCurrentThread();
  }

  private void stop() {
    lock.lock();
    try {
      stopped = true;
      waiting.clear();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  WorkQueue<T> delegate() {
    return queue;
  }

  @Override
  public void shutDown() {
    stop();
    super.shutDown();
  }

  @Override
  public void shutDownWithDrain() throws InterruptedException {
    stop();
    super.shutDownWithDrain();
  }

  @Override
  public boolean shutDownWithDrain(Duration timeout) throws InterruptedException {
    stop();
    return super.shutDownWithDrain(timeout);
  }

  @Override
  public String toString() {
    return "Delaying" + queue + "(waiting=" + waitingCount() + ")";
  }
}
