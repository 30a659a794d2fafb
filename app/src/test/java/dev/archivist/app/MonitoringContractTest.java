package dev.archivist.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.archivist.app.demo.DemoCluster;
import dev.archivist.testing.Fixtures;
import dev.archivist.testing.PostgresExtension;
import dev.archivist.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The Grafana dashboard ({@code deploy/grafana/archivist.json}) and the alerts
 * ({@code deploy/prometheus/alerts.yaml}) name only metrics that Archivist exports: every series
 * name in their queries is read from the {@code /metrics} of a running {@code archivist run}.
 */
@ExtendWith(PostgresExtension.class)
class MonitoringContractTest {
  private static final Path DEPLOY =
      Path.of(System.getProperty(Fixtures.REPO_ROOT_PROPERTY), "deploy");

  /**
   * Exported only once something happened: one series per label value, registered at the first
   * event, so a fresh instance has none and this scrape cannot see them. The controller's
   * {@code ArchiveControllerContract} checks each during the event that creates it.
   */
  private static final Map<String, String> REGISTERED_ON_FIRST_EVENT = Map.of(
      "archivist_kube_errors_total", "one series per HTTP code, at the first outage");

  /** Series names as they appear in PromQL; labels, functions and strings are not names. */
  private static final Pattern METRIC =
      Pattern.compile("\\b((?:archivist|workqueue|jvm|process)_[a-z0-9_]+)\\b");
  private static final Pattern QUOTED = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");

  private static Set<String> exported;

  @BeforeAll
  static void scrapeARunningInstance(TestDatabase db, @TempDir Path dir) throws Exception {
    try (DemoCluster cluster = DemoCluster.start()) {
      Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"),
          RunCommandTest.kubeconfig(cluster.client().getConfiguration().getMasterUrl()));
      Cli.Started run = Cli.start(Map.of("ARCHIVIST_DB", db.jdbcUrl()), "run",
          "--kubeconfig", kubeconfig.toString(), "--http-port", "0", "--bind-address",
          "127.0.0.1", "--namespace", "argo");
      try {
        int port = run.awaitPort("the API is on port", Duration.ofMinutes(2));
        HttpRequest scrape = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/metrics")).build();
        // The GC pause timer is registered at the first collection after start, which a short
        // run may not have had yet: collect once, and scrape until the collection is counted.
        System.gc();
        HttpResponse<String> metrics = await().atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(200)).until(() -> HttpClient.newHttpClient()
                .send(scrape, HttpResponse.BodyHandlers.ofString()),
                r -> r.statusCode() == 200 && r.body().contains("jvm_gc_pause_seconds"));
        exported = new TreeSet<>();
        metrics.body().lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
            .map(l -> l.split("[{ ]", 2)[0]).forEach(exported::add);
      } finally {
        run.stop();
      }
      assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
    }
  }

  @Test
  void dashboard_namesOnlyExportedMetrics() throws Exception {
    JsonNode dashboard = JsonMapper.builder().build()
        .readTree(Files.readString(DEPLOY.resolve("grafana/archivist.json")));
    Set<String> named = metricsIn(dashboard);
    // What the dashboard must show, by the metric that shows it.
    assertThat(named).contains("archivist_workflows_archived_total",
        "archivist_archive_lag_seconds_bucket", "workqueue_depth",
        "workqueue_queue_duration_seconds_bucket", "workqueue_retries_total",
        "workqueue_dropped_total", "archivist_quarantined_workflows",
        "archivist_workflows_lost_total", "archivist_kube_errors_total",
        "archivist_archive_batch_seconds_bucket", "jvm_memory_used_bytes", "archivist_leader");
    assertExported("deploy/grafana/archivist.json", named);
  }

  @Test
  void alerts_nameOnlyExportedMetrics() throws Exception {
    JsonNode alerts = YAMLMapper.builder().build()
        .readTree(Files.readString(DEPLOY.resolve("prometheus/alerts.yaml")));
    Set<String> named = metricsIn(alerts);
    assertThat(named).contains("archivist_archive_lag_seconds_bucket", "workqueue_dropped_total",
        "archivist_workflows_quarantined_total", "archivist_workflows_lost_total",
        "archivist_leader", "archivist_archive_failures_total", "archivist_kube_errors_total");
    assertExported("deploy/prometheus/alerts.yaml", named);
  }

  private static void assertExported(String file, Set<String> named) {
    Set<String> missing = new TreeSet<>(named);
    missing.removeAll(exported);
    missing.removeAll(REGISTERED_ON_FIRST_EVENT.keySet());
    assertThat(missing).as("metrics %s names that a running archivist does not export "
        + "(it exports %s)", file, exported).isEmpty();
  }

  /** The series names in every query: Grafana's expr, query and definition; Prometheus's expr. */
  private static Set<String> metricsIn(JsonNode node) {
    Set<String> names = new TreeSet<>();
    collect(node, names);
    return names;
  }

  private static void collect(JsonNode node, Set<String> names) {
    if (node.isObject()) {
      node.forEachEntry((key, value) -> {
        if (value.isString() && Set.of("expr", "query", "definition").contains(key)) {
          Matcher m = METRIC.matcher(QUOTED.matcher(value.stringValue()).replaceAll("\"\""));
          while (m.find()) {
            names.add(m.group(1));
          }
        } else {
          collect(value, names);
        }
      });
    } else if (node.isArray()) {
      node.values().forEach(v -> collect(v, names));
    }
  }
}
