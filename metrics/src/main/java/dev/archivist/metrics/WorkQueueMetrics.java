package dev.archivist.metrics;

import dev.archivist.workqueue.MetricsProvider;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * Exports work-queue metrics to a Micrometer registry under client-go's Prometheus names, each
 * series tagged {@code name="<queue name>"}:
 *
 * <table>
 *   <caption>Prometheus series</caption>
 *   <tr><th>series</th><th>type</th><th>from</th></tr>
 *   <tr><td>{@code workqueue_depth}</td><td>gauge</td><td>{@code QueueGauges.depth}</td></tr>
 *   <tr><td>{@code workqueue_adds_total}</td><td>counter</td><td>{@code added}</td></tr>
 *   <tr><td>{@code workqueue_queue_duration_seconds}</td><td>histogram</td>
 *       <td>{@code queueDuration}</td></tr>
 *   <tr><td>{@code workqueue_work_duration_seconds}</td><td>histogram</td>
 *       <td>{@code workDuration}</td></tr>
 *   <tr><td>{@code workqueue_unfinished_work_seconds}</td><td>gauge</td>
 *       <td>{@code QueueGauges.unfinishedWorkSeconds}</td></tr>
 *   <tr><td>{@code workqueue_longest_running_processor_seconds}</td><td>gauge</td>
 *       <td>{@code QueueGauges.longestRunningProcessorSeconds}</td></tr>
 *   <tr><td>{@code workqueue_retries_total}</td><td>counter</td><td>{@code retried}</td></tr>
 *   <tr><td>{@code workqueue_dropped_total}</td><td>counter</td><td>{@code dropped}</td></tr>
 * </table>
 *
 * <p>Gauges are computed when the registry is scraped. Micrometer also publishes a {@code
 * _seconds_max} gauge beside each histogram. Queue names must be unique per registry: a second
 * queue with the same name shares the counters and histograms, and its gauges are ignored.
 */
public final class WorkQueueMetrics {
  private WorkQueueMetrics() {}

  /** A provider to pass to {@code WorkQueues.builder().metrics(...)}. */
  public static MetricsProvider provider(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    return name -> new MicrometerQueueMetrics(registry, name);
  }
}
