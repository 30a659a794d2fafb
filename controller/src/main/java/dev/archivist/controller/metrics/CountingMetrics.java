package dev.archivist.controller.metrics;

import dev.archivist.controller.ControllerStats;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what {@link ControllerStats} reports and forwards everything to another
 * {@link ControllerMetrics}. Lock-free ({@link LongAdder}s), so workers never contend on it.
 */
public final class CountingMetrics implements ControllerMetrics {
  private final ControllerMetrics delegate;
  private final LongAdder archived = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final LongAdder skipped = new LongAdder();

  public CountingMetrics(ControllerMetrics delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public void archived() {
    archived.increment();
    delegate.archived();
  }

  @Override
  public void failure(FailureReason reason) {
    failures.increment();
    delegate.failure(reason);
  }

  @Override
  public void batch(Duration elapsed) {
    delegate.batch(elapsed);
  }

  @Override
  public void lag(Duration finishedToCommit) {
    delegate.lag(finishedToCommit);
  }

  @Override
  public void kubeError(int code) {
    delegate.kubeError(code);
  }

  /** Not a metric: counted here for {@link ControllerStats#skipped()} only. */
  public void skipped() {
    skipped.increment();
  }

  public long archivedCount() {
    return archived.sum();
  }

  public long failureCount() {
    return failures.sum();
  }

  public long skippedCount() {
    return skipped.sum();
  }
}
