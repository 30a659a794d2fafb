package dev.archivist.metrics;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The application's metrics registry. Make one per process and pass it where it is needed (no
 * static registry). Serve {@code /metrics} as:
 *
 * <pre>{@code
 * ctx.contentType(Registries.PROMETHEUS_TEXT_CONTENT_TYPE).result(registry.scrape());
 * }</pre>
 */
public final class Registries {
  /** The content type of {@link PrometheusMeterRegistry#scrape()}'s text format. */
  public static final String PROMETHEUS_TEXT_CONTENT_TYPE =
      "text/plain; version=0.0.4; charset=utf-8";

  private Registries() {}

  /**
   * A Prometheus registry with the JVM's standard series bound (memory and buffer pools, GC,
   * threads, class loading, processor and uptime) and {@link HeapAfterGc}. The GC binder listens
   * to the JVM's GC notifications for the life of the process, so make one registry per process,
   * not per test.
   */
  public static PrometheusMeterRegistry prometheus() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new HeapAfterGc().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    return registry;
  }
}
