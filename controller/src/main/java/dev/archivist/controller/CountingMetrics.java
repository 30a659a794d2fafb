package dev.archivist.controller;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what {@link ControllerStats} reports and forwards everything to another
 * {@link ControllerMetrics}. Lock-free ({@link LongAdder}s), so workers never contend on it.
 */
final class CountingMetrics implements ControllerMetrics {
  private final ControllerMetrics delegate;
  private final LongAdder archived = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final LongAdder skipped = new LongAdder();

  CountingMetrics(ControllerMetrics delegate) {
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

  /** Not a metric: counted here for {@link ControllerStats#skipped()} only. */
  void skipped() {
    skipped.increment();
  }

  long archivedCount() {
    return archived.sum();
  }

  long failureCount() {
    return failures.sum();
  }

  long skippedCount() {
    return skipped.sum();
  }
}
