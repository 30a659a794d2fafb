package dev.archivist.metrics;

import dev.archivist.workqueue.QueueGauges;
import dev.archivist.workqueue.QueueMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One queue's meters. Counters and histograms are created up front so that every series exists,
 * at zero, from the first scrape; gauges are registered when the queue binds its {@link
 * QueueGauges}. Micrometer's meters are thread-safe and lock-free on the recording path.
 */
final class MicrometerQueueMetrics implements QueueMetrics {
  /**
   * Histogram buckets, decades from 1 µs to 1000 s: in-memory hand-offs are microseconds, a
   * throttled archive backlog is minutes, and retries back off up to 1000 s.
   */
  private static final Duration[] BUCKETS = {
    Duration.ofNanos(1_000), Duration.ofNanos(10_000), Duration.ofNanos(100_000),
    Duration.ofMillis(1), Duration.ofMillis(10), Duration.ofMillis(100),
    Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(100),
    Duration.ofSeconds(1000),
  };

  private final MeterRegistry registry;
  private final Tags tags;
  private final Counter adds;
  private final Counter retries;
  private final Counter drops;
  private final Timer queueDuration;
  private final Timer workDuration;

  MicrometerQueueMetrics(MeterRegistry registry, String name) {
    this.registry = registry;
    this.tags = Tags.of("name", name);
    this.adds = Counter.builder("workqueue.adds")
        .description("Items that became pending in the work queue").tags(tags).register(registry);
    this.retries = Counter.builder("workqueue.retries")
        .description("Items scheduled to be queued again later (retries)").tags(tags)
        .register(registry);
    this.drops = Counter.builder("workqueue.dropped")
        .description("New items refused because the work queue was at capacity").tags(tags)
        .register(registry);
    this.queueDuration = histogram("workqueue.queue.duration",
        "How long an item stays pending in the work queue before a worker takes it");
    this.workDuration = histogram("workqueue.work.duration",
        "How long a worker takes to process an item");
  }

  private Timer histogram(String meter, String description) {
    return Timer.builder(meter).description(description).tags(tags)
        .serviceLevelObjectives(BUCKETS).register(registry);
  }

  @Override
  public void added() {
    adds.increment();
  }

  @Override
  public void dropped() {
    drops.increment();
  }

  @Override
  public void retried() {
    retries.increment();
  }

  @Override
  public void queueDuration(long nanos) {
    queueDuration.record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
  }

  @Override
  public void workDuration(long nanos) {
    workDuration.record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
  }

  @Override
  public void bindGauges(QueueGauges gauges) {
    Gauge.builder("workqueue.depth", gauges, QueueGauges::depth)
        .description("Items queued and ready to be taken").tags(tags).strongReference(true)
        .register(registry);
    Gauge.builder("workqueue.unfinished.work", gauges, QueueGauges::unfinishedWorkSeconds)
        .description("Seconds of work in progress that has not finished (sum over items)")
        .baseUnit("seconds").tags(tags).strongReference(true).register(registry);
    Gauge.builder("workqueue.longest.running.processor", gauges,
            QueueGauges::longestRunningProcessorSeconds)
        .description("Seconds the longest-running item has been processed").baseUnit("seconds")
        .tags(tags).strongReference(true).register(registry);
  }
}
