package dev.archivist.workqueue;

/**
 * The events one queue reports. Every method has a do-nothing default, so an adapter implements
 * only what it exports.
 *
 * <p>The queue never calls these methods while holding its lock, so an implementation may take its
 * own locks; it must still be fast, thread-safe and must not throw, since it runs on the caller's
 * thread (an informer callback for {@link #added}).
 *
 * <p>Gauges (depth, unfinished work, longest-running processor) are not pushed: the queue hands a
 * {@link QueueGauges} to {@link #bindGauges} once, and the adapter reads it when scraped.
 */
public interface QueueMetrics {
  /** An item became pending (a deduplicated add is not counted). */
  default void added() {}

  /** A new item was refused because the queue was at capacity. */
  default void dropped() {}

  /** An item was scheduled to be queued again later ({@code addAfter}/{@code addRateLimited}). */
  default void retried() {}

  /** Time an item spent pending, from becoming pending to being taken by {@code get}. */
  default void queueDuration(long nanos) {}

  /** Time a worker spent on an item, from {@code get} to {@code done}. */
  default void workDuration(long nanos) {}

  /** Called once at build time with the queue's read-only gauges. */
  default void bindGauges(QueueGauges gauges) {}

  /** Metrics that record nothing. */
  static QueueMetrics noop() {
    return NoopQueueMetrics.INSTANCE;
  }
}
