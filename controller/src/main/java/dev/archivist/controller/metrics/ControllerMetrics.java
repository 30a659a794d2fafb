package dev.archivist.controller.metrics;

import java.time.Duration;

/**
 * The controller's own measurements, kept free of any metrics library. The Micrometer binding
 * ({@link MicrometerControllerMetrics}) lives at the edge; tests use {@link #NOOP} or a recorder.
 *
 * <p>Implementations must be thread-safe and must not block: workers call them between batches.
 */
public interface ControllerMetrics {
  ControllerMetrics NOOP = new ControllerMetrics() {};

  /** A workflow went all the way: row committed, then marked (or found gone). */
  default void archived() {}

  /** One failed attempt for one workflow. */
  default void failure(FailureReason reason) {}

  /** One {@code store.archive} call took this long, successful or not. */
  default void batch(Duration elapsed) {}

  /** From a workflow's {@code finishedAt} to the commit of its row. */
  default void lag(Duration finishedToCommit) {}

  /** An API server call failed as an outage; {@code code} 0 is no response. */
  default void kubeError(int code) {}
}
