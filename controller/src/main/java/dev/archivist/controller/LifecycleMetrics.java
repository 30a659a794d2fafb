package dev.archivist.controller;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * The lifecycle's measurements: quarantine, deletion, retention and leadership. Counts locally
 * (for {@link ControllerStats}) and, when built on a registry, exports under DESIGN section 4's
 * names: {@code archivist_workflows_quarantined_total}, {@code archivist_workflows_deleted_total},
 * {@code archivist_leader}, plus {@code archivist_quarantined_workflows} (current quarantine size)
 * and {@code archivist_archive_gc_deleted_total}.
 *
 * <p>Thread-safe and non-blocking. The counters share their ids with the ones
 * {@link MicrometerControllerMetrics} registers up front, and Micrometer hands back the meter
 * already registered under an id, so both name the same series. The leader gauge must be
 * registered here <em>before</em> the archive controller is built: a registry keeps the first gauge
 * registered under a name, and the controller's own is a constant 1.
 */
final class LifecycleMetrics {
  private final LongAdder quarantined = new LongAdder();
  private final LongAdder deleted = new LongAdder();
  private final LongAdder gcDeleted = new LongAdder();
  private final Counter quarantinedCounter;
  private final Counter deletedCounter;
  private final Counter gcDeletedCounter;

  private LifecycleMetrics(Counter quarantinedCounter, Counter deletedCounter,
      Counter gcDeletedCounter) {
    this.quarantinedCounter = quarantinedCounter;
    this.deletedCounter = deletedCounter;
    this.gcDeletedCounter = gcDeletedCounter;
  }

  /** Counts locally only. */
  static LifecycleMetrics local() {
    return new LifecycleMetrics(null, null, null);
  }

  /** Counts and exports; registers the gauges over {@code leading} and {@code quarantineSize}. */
  static LifecycleMetrics on(MeterRegistry registry, BooleanSupplier leading,
      IntSupplier quarantineSize) {
    Objects.requireNonNull(registry, "registry");
    Gauge.builder("archivist.leader", leading, l -> l.getAsBoolean() ? 1 : 0)
        .description("1 while this instance archives (holds the lease, or runs without leader "
            + "election), else 0")
        .strongReference(true)
        .register(registry);
    Gauge.builder("archivist.quarantined.workflows", quarantineSize, s -> s.getAsInt())
        .description("Workflows in quarantine now, as this instance knows them")
        .strongReference(true)
        .register(registry);
    return new LifecycleMetrics(
        Counter.builder("archivist.workflows.quarantined")
            .description("Workflows given up on after --max-retries failures")
            .register(registry),
        Counter.builder("archivist.workflows.deleted")
            .description("Workflows deleted from the cluster after --delete-after")
            .register(registry),
        Counter.builder("archivist.archive.gc.deleted")
            .description("Archive rows deleted by the retention GC (--archive-ttl)")
            .register(registry));
  }

  /** A workflow entered quarantine. */
  void quarantined() {
    quarantined.increment();
    if (quarantinedCounter != null) {
      quarantinedCounter.increment();
    }
  }

  /** The API server accepted the deletion of one workflow. */
  void deleted() {
    deleted.increment();
    if (deletedCounter != null) {
      deletedCounter.increment();
    }
  }

  /** The retention GC deleted {@code rows} archive rows. */
  void gcDeleted(long rows) {
    gcDeleted.add(rows);
    if (gcDeletedCounter != null) {
      gcDeletedCounter.increment(rows);
    }
  }

  long quarantinedCount() {
    return quarantined.sum();
  }

  long deletedCount() {
    return deleted.sum();
  }

  long gcDeletedCount() {
    return gcDeleted.sum();
  }
}
