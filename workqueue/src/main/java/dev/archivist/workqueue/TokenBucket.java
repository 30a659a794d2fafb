package dev.archivist.workqueue;

import java.time.Duration;

/**
 * A token bucket: {@code burst} tokens, refilled at {@code qps} tokens per second, starting full.
 * Used directly by the archive path ({@code --archive-qps}/{@code --archive-burst}) and, through
 * {@link RateLimiters#tokenBucket}, as a queue-wide retry limit.
 *
 * <p>Taking more tokens than are available is allowed: the bucket goes into debt and the caller
 * waits until the debt is repaid. So one caller may take more than {@code burst} permits at once
 * (a large batch), and callers are served in the order they reserved. A {@code qps} of 0 means no
 * limit: every call succeeds at once.
 *
 * <p>Thread-safe. Time comes only from the injected {@link Ticker}, and the only blocking call,
 * {@link #acquire}, waits through the injected {@link Sleeper}.
 */
public interface TokenBucket {
  /**
   * Takes {@code permits} tokens, waiting as long as needed.
   *
   * @throws InterruptedException if interrupted while waiting; the reserved tokens are given back
   * @throws IllegalArgumentException if {@code permits < 1}
   */
  void acquire(int permits) throws InterruptedException;

  /**
   * Takes {@code permits} tokens only if they are available now; never waits or goes into debt.
   * Always false when {@code permits > burst} (for a limited bucket).
   *
   * @throws IllegalArgumentException if {@code permits < 1}
   */
  boolean tryAcquire(int permits);

  /**
   * Takes {@code permits} tokens now, going into debt if needed, and returns how long the caller
   * must wait before acting on them. Never blocks. The reservation cannot be undone.
   *
   * @throws IllegalArgumentException if {@code permits < 1}
   */
  Duration reserve(int permits);

  /** Tokens per second; 0 means unlimited. */
  double qps();

  /** The bucket's size. */
  int burst();

  /** A bucket on the system clock that waits by parking the thread. */
  static TokenBucket create(double qps, int burst) {
    return create(qps, burst, Ticker.system(), Sleeper.system());
  }

  /**
   * A bucket that reads time from {@code ticker} and waits with {@code sleeper}; the two must
   * measure the same time.
   *
   * @throws IllegalArgumentException if {@code qps} is negative or not finite, or if {@code burst
   *     < 1} while {@code qps > 0}; the message names the value
   */
  static TokenBucket create(double qps, int burst, Ticker ticker, Sleeper sleeper) {
    return new RefillTokenBucket(qps, burst, ticker, sleeper);
  }
}
