package dev.archivist.controller;

import dev.archivist.workqueue.MetricsProvider;
import io.micrometer.core.instrument.MeterRegistry;

/** The workqueue_* series on a Micrometer registry, through the metrics module's adapter. */
final class QueueMetricsBinding {
  private QueueMetricsBinding() {}

  static MetricsProvider provider(MeterRegistry registry) {
    throw new UnsupportedOperationException("waiting for the metrics module (h/queue)");
  }
}
