package dev.archivist.controller.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * The controller's metrics on a Micrometer registry, under the Prometheus names that
 * {@code docs/architecture.md} lists under Metrics ({@code archivist_workflows_archived_total},
 * {@code archivist_archive_batch_seconds}, ...). Every series is registered up front, at zero,
 * so that dashboards and alerts see it before the first event; the failure counter has one series
 * per {@link FailureReason}. The lifecycle's series are {@link LifecycleMetrics}'.
 *
 * <p>Thread-safe: Micrometer meters are.
 */
public final class MicrometerControllerMetrics implements ControllerMetrics {
  private final Counter archived;
  private final Counter lost;
  private final Map<FailureReason, Counter> failures = new EnumMap<>(FailureReason.class);
  private final Timer batch;
  private final Timer lag;
  private final MeterRegistry registry;

  /** Registers every series at once; build at most one per registry. */
  public MicrometerControllerMetrics(MeterRegistry registry, IntSupplier pendingWorkflows) {
    this.registry = registry;
    archived = Counter.builder("archivist.workflows.archived")
        .description("Workflows archived and labelled Archived")
        .register(registry);
    lost = Counter.builder("archivist.workflows.lost")
        .description("Workflows deleted or replaced before they were archived")
        .register(registry);
    for (FailureReason reason : FailureReason.values()) {
      failures.put(reason, Counter.builder("archivist.archive.failures")
          .description("Failed archive attempts, by reason")
          .tag("reason", reason.label())
          .register(registry));
    }
    batch = histogram(registry, "archivist.archive.batch",
        "Time of one archive transaction (one batch), committed or not",
        Duration.ofMillis(1), Duration.ofMinutes(1));
    lag = histogram(registry, "archivist.archive.lag",
        "From a workflow's finishedAt to the commit of its archive row",
        Duration.ofMillis(10), Duration.ofDays(1));
    Gauge.builder("archivist.pending.workflows", pendingWorkflows, s -> s.getAsInt())
        .description("Completed workflows not yet labelled Archived, as the informers see them")
        .strongReference(true)
        .register(registry);
  }

  /** A timer with a percentile histogram whose buckets span {@code min} to {@code max}. */
  private static Timer histogram(MeterRegistry registry, String name, String description,
      Duration min, Duration max) {
    return Timer.builder(name)
        .description(description)
        .publishPercentileHistogram()
        .minimumExpectedValue(min)
        .maximumExpectedValue(max)
        .register(registry);
  }

  @Override
  public void archived() {
    archived.increment();
  }

  @Override
  public void lost() {
    lost.increment();
  }

  @Override
  public void failure(FailureReason reason) {
    failures.get(reason).increment();
  }

  @Override
  public void batch(Duration elapsed) {
    batch.record(elapsed);
  }

  @Override
  public void lag(Duration finishedToCommit) {
    lag.record(finishedToCommit);
  }

  /** {@code archivist_kube_errors_total{code}}: one series per code seen (few: 0, 401, 5xx...). */
  @Override
  public void kubeError(int code) {
    Counter.builder("archivist.kube.errors")
        .description("API server calls that failed as outages, by HTTP code (0: no response)")
        .tag("code", Integer.toString(code))
        .register(registry)
        .increment();
  }
}
