package dev.archivist.controller.metrics;

import dev.archivist.controller.ControllerStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * The lifecycle's measurements: quarantine, deletion, retention and leadership. Counts locally
 * (for {@link ControllerStats}) and, when built on a registry, exports under the names that
 * {@code docs/architecture.md} lists under Metrics: {@code archivist_workflows_quarantined_total},
 * {@code archivist_workflows_deleted_total}, {@code archivist_archive_gc_deleted_total}, and the
 * gauges {@code archivist_leader} and {@code archivist_quarantined_workflows} (current quarantine
 * size), which {@link #registerGauges} adds once the parts they read are built.
 *
 * <p>Thread-safe and non-blocking.
 */
public final class LifecycleMetrics {
  private final LongAdder quarantined = new LongAdder();
  private final LongAdder deleted = new LongAdder();
  private final LongAdder gcDeleted = new LongAdder();
  private final Counter quarantinedCounter;
  private final Counter deletedCounter;
  private final Counter gcDeletedCounter;

  /** Null when counting locally only. */
  private final MeterRegistry registry;

  private LifecycleMetrics(MeterRegistry registry, Counter quarantinedCounter,
      Counter deletedCounter, Counter gcDeletedCounter) {
    this.registry = registry;
    this.quarantinedCounter = quarantinedCounter;
    this.deletedCounter = deletedCounter;
    this.gcDeletedCounter = gcDeletedCounter;
  }

  /** Counts locally only. */
  public static LifecycleMetrics local() {
    return new LifecycleMetrics(null, null, null, null);
  }

  /** Counts and exports; the counters are registered at once, at zero. */
  public static LifecycleMetrics on(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    return new LifecycleMetrics(registry,
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

  /**
   * Registers the gauges over {@code leading} and {@code quarantineSize}; nothing when counting
   * locally. Call once, when both can be read.
   */
  public void registerGauges(BooleanSupplier leading, IntSupplier quarantineSize) {
    if (registry == null) {
      return;
    }
    Gauge.builder("archivist.leader", leading, l -> l.getAsBoolean() ? 1 : 0)
        .description("1 while this instance archives (holds the lease, or runs without leader "
            + "election), else 0")
        .strongReference(true)
        .register(registry);
    Gauge.builder("archivist.quarantined.workflows", quarantineSize, s -> s.getAsInt())
        .description("Workflows in quarantine now, as this instance knows them")
        .strongReference(true)
        .register(registry);
  }

  /** A workflow entered quarantine. */
  public void quarantined() {
    quarantined.increment();
    if (quarantinedCounter != null) {
      quarantinedCounter.increment();
    }
  }

  /** The API server accepted the deletion of one workflow. */
  public void deleted() {
    deleted.increment();
    if (deletedCounter != null) {
      deletedCounter.increment();
    }
  }

  /** The retention GC deleted {@code rows} archive rows. */
  public void gcDeleted(long rows) {
    gcDeleted.add(rows);
    if (gcDeletedCounter != null) {
      gcDeletedCounter.increment(rows);
    }
  }

  public long quarantinedCount() {
    return quarantined.sum();
  }

  public long deletedCount() {
    return deleted.sum();
  }

  public long gcDeletedCount() {
    return gcDeleted.sum();
  }
}
