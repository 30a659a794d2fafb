package dev.archivist.workqueue;

/**
 * A {@link DelayingQueue} whose retries are spaced by a {@link RateLimiter}. Build one with {@link
 * WorkQueues.Builder#buildRateLimiting()}.
 *
 * <p>The usual worker loop: {@code get}; process; on success {@link #forget}, on a retriable
 * failure {@link #addRateLimited} (or give up when {@link #numRequeues} is too high, then {@code
 * forget}); in every case {@code done}.
 */
public interface RateLimitingQueue<T> extends DelayingQueue<T> {
  /**
   * Queues {@code item} after the delay the rate limiter gives it now (which counts one more
   * failure for per-item policies).
   *
   * @return {@code false} if the queue is shutting down, else {@code true}
   */
  boolean addRateLimited(T item);

  /**
   * Clears the rate limiter's memory of {@code item}: call it when the item succeeded or was given
   * up, so its next failure starts from the base delay again. It does not remove the item from the
   * queue.
   */
  void forget(T item);

  /** How many times {@code item} has been rate-limited since it was last forgotten. */
  int numRequeues(T item);
}
