package dev.archivist.workqueue;

import java.time.Duration;

/**
 * Decides how long an item waits before it is retried. Policies are in {@link RateLimiters}.
 * Implementations are thread-safe and never block: {@link #when} reserves and returns a delay.
 */
public interface RateLimiter<T> {
  /** The delay before {@code item} may be retried; records the retry for per-item policies. */
  Duration when(T item);

  /** Forgets {@code item}'s history, e.g. after it succeeded. */
  void forget(T item);

  /** How many times {@link #when} was called for {@code item} since it was last forgotten. */
  int numRequeues(T item);
}
