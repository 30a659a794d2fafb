package dev.archivist.workqueue;

/**
 * Creates the metrics of a named queue. The queue calls {@link #forQueue} once, when it is built
 * with a non-empty name (unnamed queues get {@link QueueMetrics#noop()}, as in client-go). An
 * adapter that exports to a registry lives outside this module (see {@code dev.archivist.metrics}).
 */
@FunctionalInterface
public interface MetricsProvider {
  /** The metrics sink for the queue called {@code name}; must not block or throw. */
  QueueMetrics forQueue(String name);

  /** A provider whose queues record nothing. */
  static MetricsProvider noop() {
    return name -> QueueMetrics.noop();
  }
}
