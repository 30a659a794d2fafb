package dev.archivist.server;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /healthz} (the process serves requests), {@code /readyz} (every {@link ReadinessCheck}
 * passes) and {@code /metrics} (the registry in Prometheus' text format). All three stay open
 * when the API requires a token, because probes and scrapers do not carry one.
 */
final class HealthEndpoints {
  private static final Logger log = LoggerFactory.getLogger(HealthEndpoints.class);

  static final String HEALTHZ = "/healthz";
  static final String READYZ = "/readyz";
  static final String METRICS = "/metrics";

  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  static final String OPENMETRICS_TEXT =
      "application/openmetrics-text; version=1.0.0; charset=utf-8";

  private final List<ReadinessCheck> checks;
  private final PrometheusMeterRegistry registry;
  private final Json json;

  HealthEndpoints(List<ReadinessCheck> checks, PrometheusMeterRegistry registry, Json json) {
    this.checks = List.copyOf(checks);
    this.registry = registry;
    this.json = json;
  }

  void register(RoutesConfig routes) {
    routes.get(HEALTHZ, ctx -> ctx.contentType("text/plain; charset=utf-8").result("ok"));
    routes.get(READYZ, this::readyz);
    routes.get(METRICS, this::metrics);
  }

  private void readyz(Context ctx) {
    ObjectNode body = json.object();
    ArrayNode failed = json.array();
    ArrayNode results = json.array();
    for (ReadinessCheck check : checks) {
      ReadinessCheck.Status status = statusOf(check);
      ObjectNode result = results.addObject();
      result.put("name", check.name());
      result.put("ready", status.ready());
      result.put("detail", status.detail());
      if (!status.ready()) {
        failed.add(check.name());
      }
    }
    boolean ready = failed.isEmpty();
    body.put("status", ready ? "ready" : "not ready");
    if (!ready) {
      body.set("failed", failed);
    }
    body.set("checks", results);
    json.write(ctx, ready ? 200 : 503, body);
  }

  /** A check is foreign code: one that throws is not ready, and the others still run. */
  private static ReadinessCheck.Status statusOf(ReadinessCheck check) {
    try {
      ReadinessCheck.Status status = check.status();
      return status == null ? ReadinessCheck.Status.notReady("the check returned no status")
          : status;
    } catch (RuntimeException e) {
      log.warn("readiness check {} failed", check.name(), e);
      return ReadinessCheck.Status.notReady("the check failed: " + e);
    }
  }

  private void metrics(Context ctx) {
    String accept = ctx.header("Accept");
    String contentType = accept != null && accept.contains("application/openmetrics-text")
        ? OPENMETRICS_TEXT : PROMETHEUS_TEXT;
    ctx.contentType(contentType);
    ctx.result(registry.scrape(contentType));
  }
}
