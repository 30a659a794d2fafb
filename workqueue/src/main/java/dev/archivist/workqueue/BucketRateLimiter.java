package dev.archivist.workqueue;

import java.time.Duration;
import java.util.Objects;

/**
 * An overall retry limit shared by every item: each {@link #when} reserves one token of a {@link
 * TokenBucket} and returns how long to wait for it. Keeps no per-item state, so {@link
 * #numRequeues} is always 0.
 */
final class BucketRateLimiter<T> implements RateLimiter<T> {
  private final TokenBucket bucket;

  BucketRateLimiter(TokenBucket bucket) {
    this.bucket = Objects.requireNonNull(bucket, "bucket");
  }

  @Override
  public Duration when(T item) {
    return bucket.reserve(1);
  }

  @Override
  public void forget(T item) {}

  @Override
  public int numRequeues(T item) {
    return 0;
  }

  @Override
  public String toString() {
    return "BucketRateLimiter(" + bucket + ")";
  }
}
