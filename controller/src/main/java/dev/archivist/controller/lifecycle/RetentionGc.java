package dev.archivist.controller.lifecycle;

import dev.archivist.controller.metrics.LifecycleMetrics;
import dev.archivist.store.ArchiveStore;
import dev.archivist.store.ArchiveStoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --archive-ttl}: deletes archive rows whose {@code finishedat} is older than the TTL, in
 * bounded batches ({@link ArchiveStore#deleteFinishedBefore}), on the leader only. The lifecycle
 * schedules {@link #run} with a fixed delay of {@code --gc-period}, the first run
 * {@link #firstDelay} after start-up rather than a whole period later.
 *
 * <p>Runs on the lifecycle's single scheduler thread; {@link #run} never throws, so the schedule
 * survives a failed run. Time comes from the injected clock only.
 */
public final class RetentionGc implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(RetentionGc.class);
  /** Rows per DELETE: short transactions that never lock the whole archive. */
  static final int BATCH = 1000;
  /** The first run waits this long (or one period, if shorter): start-up has enough to do. */
  static final Duration FIRST_DELAY = Duration.ofSeconds(10);

  private final ArchiveStore store;
  private final Duration ttl;
  private final Clock clock;
  private final BooleanSupplier fence;
  private final LifecycleMetrics metrics;

  public RetentionGc(ArchiveStore store, Duration ttl, Clock clock, BooleanSupplier fence,
      LifecycleMetrics metrics) {
    this.store = Objects.requireNonNull(store, "store");
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.fence = Objects.requireNonNull(fence, "fence");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /** The delay before the first run for a given period. */
  public static Duration firstDelay(Duration period) {
    return period.compareTo(FIRST_DELAY) < 0 ? period : FIRST_DELAY;
  }

  @Override
  public void run() {
    try {
      runOnce();
    } catch (ArchiveStoreException e) {
      log.warn("retention GC: failed; it runs again next period: {}", e.getMessage());
    } catch (RuntimeException e) {
      log.error("retention GC: unexpected failure; it runs again next period", e);
    }
  }

  /**
   * One run: deletes what finished before {@code now - ttl}.
   *
   * @return rows deleted; -1 when this instance may not write (not the leader)
   */
  public long runOnce() {
    if (!fence.getAsBoolean()) {
      return -1;
    }
    Instant cutoff = clock.instant().minus(ttl);
    long deleted = store.deleteFinishedBefore(cutoff, BATCH);
    metrics.gcDeleted(deleted);
    log.info("retention GC: deleted {} archived workflows that finished before {} "
        + "(--archive-ttl {})", deleted, cutoff, ttl);
    return deleted;
  }
}
