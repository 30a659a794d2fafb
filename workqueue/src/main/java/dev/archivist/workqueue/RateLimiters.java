package dev.archivist.workqueue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The retry policies for a {@link RateLimitingQueue} (client-go's {@code
 * default_rate_limiters.go}). Every limiter returned is thread-safe and never blocks.
 */
public final class RateLimiters {
  private RateLimiters() {}

  /**
   * Per-item exponential backoff: an item's n-th consecutive failure (from 0) waits {@code base *
   * 2^n}, at most {@code max}, however many failures there have been. {@code forget} resets the
   * item. Callers must {@code forget} items when they succeed or are given up, or the limiter
   * keeps one entry per failed item.
   *
   * @throws IllegalArgumentException if a duration is negative or {@code base > max}
   */
  public static <T> RateLimiter<T> exponentialFailure(Duration base, Duration max) {
    return new ExponentialFailureRateLimiter<>(base, max);
  }

  /**
   * A limit on all retries together: {@code qps} per second with bursts of {@code burst}, on the
   * system clock. {@code when} reserves a token and returns the wait for it, without blocking.
   * {@code qps} 0 means no limit.
   *
   * @throws IllegalArgumentException if {@code qps < 0}, or {@code burst < 1} while {@code qps > 0}
   */
  public static <T> RateLimiter<T> tokenBucket(double qps, int burst) {
    return tokenBucket(qps, burst, Ticker.system());
  }

  /** {@link #tokenBucket(double, int)} on the given clock. */
  public static <T> RateLimiter<T> tokenBucket(double qps, int burst, Ticker ticker) {
    return new BucketRateLimiter<>(
        TokenBucket.create(qps, burst, ticker, nanos -> {
          throw new UnsupportedOperationException("a rate limiter's bucket only reserves");
        }));
  }

  /**
   * The longest delay of the given limiters; every one of them records each retry.
   *
   * @throws IllegalArgumentException if no limiter is given
   */
  @SafeVarargs
  public static <T> RateLimiter<T> maxOf(RateLimiter<? super T>... limiters) {
    Objects.requireNonNull(limiters, "limiters");
    List<RateLimiter<? super T>> list = new ArrayList<>(limiters.length);
    for (int i = 0; i < limiters.length; i++) {
      list.add(Objects.requireNonNull(limiters[i], "limiters[" + i + "]"));
    }
    return new MaxOfRateLimiter<T>(list);
  }

  /**
   * client-go's default for controllers: per-item backoff from 5 ms to 1000 s, and at most 10
   * retries per second overall with bursts of 100, whichever is longer.
   */
  public static <T> RateLimiter<T> defaultControllerRateLimiter() {
    return defaultControllerRateLimiter(Ticker.system());
  }

  /** {@link #defaultControllerRateLimiter()} on the given clock. */
  public static <T> RateLimiter<T> defaultControllerRateLimiter(Ticker ticker) {
    return maxOf(
        exponentialFailure(Duration.ofMillis(5), Duration.ofSeconds(1000)),
        tokenBucket(10, 100, ticker));
  }
}
