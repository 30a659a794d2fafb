package dev.archivist.workqueue;

import java.time.Duration;
import java.util.List;

/**
 * Combines policies: the delay is the longest any of them gives, and every one of them records the
 * retry (so a token is reserved from a bucket even when a per-item backoff is longer).
 * {@link #numRequeues} is the highest count any of them reports. Stateless itself.
 */
final class MaxOfRateLimiter<T> implements RateLimiter<T> {
  private final List<RateLimiter<? super T>> limiters;

  MaxOfRateLimiter(List<RateLimiter<? super T>> limiters) {
    if (limiters.isEmpty()) {
      throw new IllegalArgumentException("maxOf needs at least one rate limiter, got none");
    }
    this.limiters = List.copyOf(limiters);
  }

  @Override
  public Duration when(T item) {
    Duration longest = Duration.ZERO;
    for (RateLimiter<? super T> limiter : limiters) {
      Duration d = limiter.when(item);
      if (d.compareTo(longest) > 0) {
        longest = d;
      }
    }
    return longest;
  }

  @Override
  public void forget(T item) {
    for (RateLimiter<? super T> limiter : limiters) {
      limiter.forget(item);
    }
  }

  @Override
  public int numRequeues(T item) {
    int most = 0;
    for (RateLimiter<? super T> limiter : limiters) {
      most = Math.max(most, limiter.numRequeues(item));
    }
    return most;
  }

  @Override
  public String toString() {
    return "MaxOf" + limiters;
  }
}
