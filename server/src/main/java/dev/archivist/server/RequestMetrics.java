package dev.archivist.server;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * {@code http_server_requests_seconds{method,route,status}}: one timer per route template (never
 * per raw path, which would let clients create series at will), taken with the registry's clock.
 */
final class RequestMetrics {
  private static final String SAMPLE_ATTRIBUTE = "archivist.request-sample";

  private final MeterRegistry registry;

  RequestMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void start(Context ctx) {
    ctx.attribute(SAMPLE_ATTRIBUTE, Timer.start(registry));
  }

  void stop(Context ctx) {
    Timer.Sample sample = ctx.attribute(SAMPLE_ATTRIBUTE);
    if (sample == null) {
      return;
    }
    sample.stop(Timer.builder("http.server.requests")
        .description("HTTP requests served, by route template")
        .tag("method", ctx.method().name())
        .tag("route", routeOf(ctx))
        .tag("status", Integer.toString(ctx.statusCode()))
        .register(registry));
  }

  private static String routeOf(Context ctx) {
    String path = ctx.path();
    if (path.startsWith(AccessFilter.API_PREFIX) || path.equals(HealthEndpoints.HEALTHZ)
        || path.equals(HealthEndpoints.READYZ) || path.equals(HealthEndpoints.METRICS)) {
      Endpoint endpoint = ctx.endpoints().lastHttpEndpoint();
      return endpoint == null ? "unmatched" : endpoint.path;
    }
    return "ui";
  }
}
