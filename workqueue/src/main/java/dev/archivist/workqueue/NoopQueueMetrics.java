package dev.archivist.workqueue;

/** The null object for {@link QueueMetrics}: every default already does nothing. */
enum NoopQueueMetrics implements QueueMetrics {
  INSTANCE
}
