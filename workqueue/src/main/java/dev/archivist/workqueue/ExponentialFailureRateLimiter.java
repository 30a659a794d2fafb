package dev.archivist.workqueue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Objects;

/**
 * Per-item exponential backoff: the n-th failure of an item (counting from 0) waits {@code base *
 * 2^n}, capped at {@code max}. {@link #forget} starts the item over.
 *
 * <p>{@code this}'s monitor guards {@code failures}. Memory is one entry per item that failed and
 * was not forgotten: callers must {@code forget} items that succeed or are given up.
 */
final class ExponentialFailureRateLimiter<T> implements RateLimiter<T> {
  private final long baseNanos;
  private final long maxNanos;
  /** Guarded by {@code this}. Failures so far, saturating at {@link Integer#MAX_VALUE}. */
  private final HashMap<T, Integer> failures = new HashMap<>();

  ExponentialFailureRateLimiter(Duration base, Duration max) {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(max, "max");
    if (base.isNegative()) {
      throw new IllegalArgumentException("base delay must be >= 0, got " + base);
    }
    if (max.isNegative()) {
      throw new IllegalArgumentException("max delay must be >= 0, got " + max);
    }
    if (base.compareTo(max) > 0) {
      throw new IllegalArgumentException("base delay must be <= max delay, got base " + base
          + " > max " + max);
    }
    this.baseNanos = BasicWorkQueue.saturatedNanos(base);
    this.maxNanos = BasicWorkQueue.saturatedNanos(max);
  }

  @Override
  public Duration when(T item) {
    Objects.requireNonNull(item, "item");
    int previous;
    synchronized (this) {
      previous = failures.getOrDefault(item, 0);
      failures.put(item, previous == Integer.MAX_VALUE ? previous : previous + 1);
    }
    return Duration.ofNanos(backoffNanos(baseNanos, maxNanos, previous));
  }

  /**
   * {@code min(max, base * 2^failures)} without overflow, for any {@code failures >= 0}.
   */
  static long backoffNanos(long baseNanos, long maxNanos, int failures) {
    if (baseNanos == 0) {
      return 0;
    }
    if (failures >= Long.SIZE - 1 || baseNanos > (maxNanos >> failures)) {
      return maxNanos;
    }
    return Math.min(maxNanos, baseNanos << failures);
  }

  @Override
  public synchronized void forget(T item) {
    failures.remove(item);
  }

  @Override
  public synchronized int numRequeues(T item) {
    return failures.getOrDefault(item, 0);
  }

  @Override
  public String toString() {
    return "ExponentialFailureRateLimiter(base=" + Duration.ofNanos(baseNanos) + ", max="
        + Duration.ofNanos(maxNanos) + ")";
  }
}
