package dev.archivist.workqueue;

/**
 * Values a metrics adapter reads on demand (for example on each Prometheus scrape). Every method is
 * thread-safe, does not take the queue's lock, and costs O(number of items being processed).
 */
public interface QueueGauges {
  /** Items queued and ready to be taken ({@code workqueue_depth}). */
  int depth();

  /**
   * The sum over items being processed of how long each has been processed so far, in seconds
   * ({@code workqueue_unfinished_work_seconds}); a large value with few completions means stuck
   * workers.
   */
  double unfinishedWorkSeconds();

  /**
   * How long the longest-running item has been processed, in seconds ({@code
   * workqueue_longest_running_processor_seconds}).
   */
  double longestRunningProcessorSeconds();
}
