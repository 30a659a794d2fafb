package dev.archivist.workqueue;

import java.util.concurrent.locks.LockSupport;

/**
 * Blocks the calling thread for a span of time. Injected into {@link TokenBucket} so that the one
 * place that really waits can be replaced in tests by a recording fake.
 */
@FunctionalInterface
public interface Sleeper {
  /**
   * Blocks for at least {@code nanos} nanoseconds; returns at once when {@code nanos <= 0}.
   *
   * @throws InterruptedException if the thread is interrupted before or while waiting; the
   *     interrupt flag is then cleared, as usual
   */
  void sleepNanos(long nanos) throws InterruptedException;

  /**
   * Parks the thread until the time has passed on {@link System#nanoTime()}, the clock of {@link
   * Ticker#system()}. Spurious wake-ups are absorbed.
   */
  static Sleeper system() {
    return nanos -> {
      long deadline = System.nanoTime() + nanos;
      long left = nanos;
      while (left > 0) {
        LockSupport.parkNanos(left);
        if (Thread.interrupted()) {
          throw new InterruptedException("interrupted while waiting for rate-limit tokens");
        }
        left = deadline - System.nanoTime();
      }
      if (Thread.interrupted()) {
        throw new InterruptedException("interrupted while waiting for rate-limit tokens");
      }
    };
  }
}
