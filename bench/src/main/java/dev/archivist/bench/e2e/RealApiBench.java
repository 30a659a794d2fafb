package dev.archivist.bench.e2e;

import dev.archivist.bench.memory.BenchDatabase;
import dev.archivist.bench.memory.WorkflowFactory;
import dev.archivist.core.WorkflowLabels;
import dev.archivist.testing.Fixtures;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Benchmarks on a real API server ({@code hack/kube-up.sh}) and a real PostgreSQL.
 *
 * <ul>
 *   <li>{@code e2e}: N completed workflows (sizes spread between --min-size and --max-size, four
 *       namespaces) are in the API server; {@code archivist run} starts in a child JVM with the
 *       given {@code --kube-qps}; the API server's own {@code /metrics} before and after give the
 *       requests per archived workflow by verb and the LIST and WATCH bytes per workflow. Runs
 *       once without and once with {@code --delete-after}.
 *   <li>{@code backlog}: the restart with a backlog: N completed workflows of --size are there
 *       when the archiver starts with a small heap; all must be archived exactly once without an
 *       out-of-memory. Runs Archivist and, for contrast, the memory benchmark's Argo-style
 *       archiver, whose informer holds whole workflows.
 * </ul>
 *
 * <p>Each run labels its workflows with a run id, and the archiver under test selects that label,
 * so runs in one API server do not see each other's workflows; a run deletes its workflows when
 * it is done.
 */
public final class RealApiBench {
  static final String RUN_LABEL = "bench.archivist.dev/run";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private RealApiBench() {}

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    Path root = Path.of(System.getProperty("archivist.repo.root", ".")).toAbsolutePath();
    Path out = root.resolve(o.get("out"));
    Files.createDirectories(out);
    BenchDatabase db = new BenchDatabase(o.get("db"));
    db.ensureDatabase();
    try (KubeBed bed = KubeBed.up(root, root.resolve(o.get("kube-dir")), o.integer("api-port"),
        o.integer("etcd-port"), Map.of("ARCHIVIST_KUBE_WATCH_CACHE", o.get("watch-cache")))) {
      List<Map<String, Object>> results = new ArrayList<>();
      String kind = o.get("bench");
      if (kind.equals("e2e")) {
        for (String scenario : o.get("scenarios").split(",")) {
          List<String> extra = new ArrayList<>();
          boolean delete = scenario.equals("delete");
          if (delete) {
            extra.add("--delete-after");
            extra.add(o.get("delete-after"));
          } else if (!scenario.equals("keep")) {
            throw new IllegalArgumentException(
                "--scenarios takes keep and delete, got " + scenario);
          }
          results.add(run(o, root, bed, db, "archivist", scenario, extra, delete,
              o.get("heap"), 5000));
        }
      } else {
        for (String mode : o.get("modes").split(",")) {
          if (!mode.equals("archivist") && !mode.equals("argo")) {
            throw new IllegalArgumentException("--modes takes archivist and argo, got " + mode);
          }
          results.add(run(o, root, bed, db, mode, "backlog", List.of(), false, o.get("heap"),
              1000));
        }
      }
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("benchmark",
          kind.equals("e2e") ? "e2e" : "memory --api real --restart-with-backlog");
      report.put("date", Instant.now().toString());
      report.put("machine", machine());
      report.put("settings", o.values);
      report.put("runs", results);
      Path json = out.resolve(kind.equals("e2e") ? "e2e.json" : "memory-restart-backlog.json");
      Files.writeString(json, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
      System.out.println(table(kind, results));
      System.out.println("wrote " + json);
    }
  }

  private static Map<String, Object> run(Options o, Path root, KubeBed bed, BenchDatabase db,
      String mode, String scenario, List<String> extra, boolean waitDeleted, String heap,
      long sampleMillis) throws Exception {
    int n = o.integer("workflows");
    String runId = scenario + "-" + mode + "-" + Long.toString(System.currentTimeMillis(), 36);
    log("run %s: creating %d completed workflows", runId, n);
    double createSeconds = create(o, root, bed, runId, n);
    log("run %s: created in %.0f s (%.0f/s)", runId, createSeconds, n / createSeconds);

    String schema = "bench_" + runId.replace('-', '_');
    String url = db.freshSchema(schema);
    int httpPort = o.integer("http-port");
    double kubeQps = o.number("kube-qps");
    Path log = root.resolve(o.get("out")).resolve("e2e-" + runId + ".log");
    List<String> jvm = List.of("-Xmx" + heap, "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError",
        "-Darchivist.bench.sampleMillis=" + sampleMillis,
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");

    PromText before = bed.metrics();
    long start = System.nanoTime();
    Child child;
    if (mode.equals("archivist")) {
      List<String> args = new ArrayList<>(List.of("dev.archivist.app.Main", "run",
          "--kubeconfig", bed.kubeconfig().toString(), "--db", url,
          "--http-port", Integer.toString(httpPort), "--bind-address", "127.0.0.1",
          "--kube-qps", o.get("kube-qps"), "--kube-burst", o.get("kube-burst"),
          "--archive-label-selector", RUN_LABEL + "=" + runId, "--cluster-name", "bench"));
      args.addAll(extra);
      child = Child.start(jvm, SampledMain.class.getName(), args, log);
    } else {
      // The memory benchmark's Argo >= 3.6 design: a full-object informer on completed workflows.
      // It selects no run label, so it sees every workflow in the server: earlier runs delete
      // theirs.
      child = Child.start(jvm, "dev.archivist.bench.memory.ModeMain", List.of("argo",
          bed.kubeconfig().toString(), url, "100000", "8", "50", o.get("kube-qps"),
          o.get("kube-burst")), log);
    }
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("run", runId);
    r.put("mode", mode);
    r.put("scenario", scenario);
    r.put("workflows", n);
    r.put("heap_limit", heap);
    r.put("args", extra);
    r.put("create_seconds", round(createSeconds));
    long archived = 0;
    long deleted = 0;
    double archivedAt = -1;
    double deletedAt = -1;
    double timeout = Durations.seconds(o.get("timeout"));
    try (child; BenchDatabase.Counter counter = db.counter(schema)) {
      HttpClient http = HttpClient.newHttpClient();
      long lastLog = 0;
      while (true) {
        double t = (System.nanoTime() - start) / 1e9;
        archived = counter.rows();
        if (archived >= n && archivedAt < 0) {
          archivedAt = t;
        }
        if (waitDeleted) {
          deleted = (long) appMetric(http, httpPort, "archivist_workflows_deleted_total");
          if (deleted >= n && deletedAt < 0) {
            deletedAt = t;
          }
        }
        boolean done = archivedAt >= 0 && (!waitDeleted || deletedAt >= 0);
        if (done || !child.isAlive() || t > timeout) {
          break;
        }
        if (t - lastLog >= 15) {
          lastLog = (long) t;
          log("run %s: %.0f s, %d archived%s, live heap peak %.1f MiB", runId, t, archived,
              waitDeleted ? ", " + deleted + " deleted" : "", child.peakHeap() / 1048576.0);
        }
        Thread.sleep(250);
      }
      double cpu = child.cpuSeconds();
      PromText after = bed.metrics();
      Thread.sleep(2 * sampleMillis); // one more heap sample after the last archive
      r.put("completed", archivedAt >= 0 && (!waitDeleted || deletedAt >= 0));
      r.put("out_of_memory", child.outOfMemory());
      r.put("archived_rows", counter.rows());
      r.put("archived_distinct_uids", counter.distinctUids());
      if (mode.equals("archivist") && child.isAlive()) {
        r.put("archived_total_metric", appMetric(http, httpPort,
            "archivist_workflows_archived_total"));
      }
      r.put("seconds_until_all_archived", archivedAt < 0 ? null : round(archivedAt));
      r.put("archived_per_second", archivedAt <= 0 ? null : round(n / archivedAt));
      if (waitDeleted) {
        r.put("seconds_until_all_deleted", deletedAt < 0 ? null : round(deletedAt));
      }
      r.put("cpu_seconds", round(cpu));
      r.put("cpu_ms_per_workflow", round(cpu * 1000 / n));
      r.put("peak_live_heap_mib", round(child.peakHeap() / 1048576.0));
      r.putAll(apiCost(before, after, n, kubeQps));
      if (r.get("archived_per_second") != null
          && r.get("qps_allowed_archived_per_second") != null) {
        r.put("archived_per_second_vs_qps_allowed", round((Double) r.get("archived_per_second")
            / (Double) r.get("qps_allowed_archived_per_second")));
      }
      r.put("log", root.relativize(child.log()).toString());
    }
    deleteRun(bed, runId);
    log("run %s: %s", runId, r);
    return r;
  }

  /** What the API server served for workflows between two scrapes, per archived workflow. */
  static Map<String, Object> apiCost(PromText before, PromText after, int n, double kubeQps) {
    Map<String, Object> r = new LinkedHashMap<>();
    Map<String, Double> b =
        before.sumBy("apiserver_request_total", "verb", RealApiBench::workflows);
    Map<String, Double> a =
        after.sumBy("apiserver_request_total", "verb", RealApiBench::workflows);
    Map<String, Object> perVerb = new LinkedHashMap<>();
    double total = 0;
    for (var e : a.entrySet()) {
      double d = e.getValue() - b.getOrDefault(e.getKey(), 0.0);
      if (d > 0) {
        perVerb.put(e.getKey(), Map.of("requests", (long) d, "per_workflow", round(d / n)));
        total += d;
      }
    }
    r.put("api_requests", (long) total);
    r.put("api_requests_per_workflow", round(total / n));
    r.put("api_requests_by_verb", perVerb);
    if (kubeQps > 0 && total > 0) {
      r.put("qps_allowed_archived_per_second", round(kubeQps / (total / n)));
    }
    double list = delta(before, after, "apiserver_response_sizes_sum",
        s -> workflows(s) && s.label("verb").equals("LIST"));
    // The controller's informers list all namespaces (scope cluster, metadata only); its batched
    // reads of the workflows to archive list one namespace each (scope namespace, whole objects).
    double informerList = delta(before, after, "apiserver_response_sizes_sum",
        s -> workflows(s) && s.label("verb").equals("LIST") && s.label("scope").equals("cluster"));
    double readList = delta(before, after, "apiserver_response_sizes_sum",
        s -> workflows(s) && s.label("verb").equals("LIST")
            && s.label("scope").equals("namespace"));
    double readLists = delta(before, after, "apiserver_request_total",
        s -> workflows(s) && s.label("verb").equals("LIST")
            && s.label("scope").equals("namespace"));
    // Older API servers label watch events by kind, 1.3x by group/version/resource.
    double watch = delta(before, after, "apiserver_watch_events_sizes_sum",
        RealApiBench::workflowEvents);
    double watchEvents = delta(before, after, "apiserver_watch_events_total",
        RealApiBench::workflowEvents);
    r.put("list_bytes_per_workflow", round(list / n));
    r.put("watch_bytes_per_workflow", round(watch / n));
    r.put("watch_events_per_workflow", round(watchEvents / n));
    r.put("list_and_watch_bytes_per_workflow", round((list + watch) / n));
    r.put("informer_list_bytes_per_workflow", round(informerList / n));
    r.put("informer_list_and_watch_bytes_per_workflow", round((informerList + watch) / n));
    r.put("read_list_bytes_per_workflow", round(readList / n));
    r.put("read_lists_per_workflow", round(readLists / n));
    return r;
  }

  private static boolean workflows(PromText.Sample s) {
    return s.label("resource").equals(WorkflowLabels.PLURAL)
        && s.label("group").equals(WorkflowLabels.GROUP);
  }

  private static boolean workflowEvents(PromText.Sample s) {
    return s.label("kind").equals(WorkflowLabels.KIND) || workflows(s);
  }

  private static double delta(PromText before, PromText after, String name,
      java.util.function.Predicate<PromText.Sample> filter) {
    return after.sum(name, filter) - before.sum(name, filter);
  }

  /** Creates {@code n} completed workflows with the run's label, 8 at a time; returns seconds. */
  private static double create(Options o, Path root, KubeBed bed, String runId, int n)
      throws Exception {
    int min = Sizes.parse(o.get("min-size"));
    int max = Sizes.parse(o.get("max-size"));
    Path fixtures = Fixtures.locate(root).resolve("kfp");
    Instant epoch = Instant.now().minus(Duration.ofHours(2));
    int kinds = min == max ? 1 : 4;
    WorkflowFactory[] factories = new WorkflowFactory[kinds];
    for (int k = 0; k < kinds; k++) {
      int size = kinds == 1 ? min : min + (max - min) * k / (kinds - 1);
      factories[k] = new WorkflowFactory(size, 0, fixtures, epoch);
    }
    String[] namespaces = {"bench-a", "bench-b", "bench-c", "bench-d"};
    for (String ns : namespaces) {
      bed.ensureNamespace(ns);
    }
    long start = System.nanoTime();
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      futures.add(pool.submit(() -> {
        int i;
        while ((i = next.getAndIncrement()) < n) {
          ObjectNode wf = factories[i % kinds].version(i, 1);
          ObjectNode meta = (ObjectNode) wf.get("metadata");
          String ns = namespaces[i % namespaces.length];
          meta.put("name", String.format("%s-%06d", runId, i));
          meta.put("namespace", ns);
          ((ObjectNode) meta.get("labels")).put(RUN_LABEL, runId);
          String path = "/apis/" + WorkflowLabels.GROUP + "/" + WorkflowLabels.VERSION
              + "/namespaces/" + ns + "/" + WorkflowLabels.PLURAL;
          String body = JSON.writeValueAsString(wf);
          for (int attempt = 1; ; attempt++) {
            try {
              bed.admin().raw(path, "POST", body);
              break;
            } catch (KubernetesClientException e) {
              if (e.getCode() == 409) {
                break; // a create that timed out after the server stored it
              }
              if (attempt >= 5) {
                throw e;
              }
              Thread.sleep(500L * attempt);
            }
          }
          if ((i + 1) % 1000 == 0) {
            log("  created %d", i + 1);
          }
        }
        return null;
      }));
    }
    pool.shutdown();
    for (Future<?> f : futures) {
      f.get();
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /** Deletes the run's workflows that are still there (one DELETE collection per namespace). */
  private static void deleteRun(KubeBed bed, String runId) {
    for (String ns : new String[] {"bench-a", "bench-b", "bench-c", "bench-d"}) {
      String path = "/apis/" + WorkflowLabels.GROUP + "/" + WorkflowLabels.VERSION
          + "/namespaces/" + ns + "/" + WorkflowLabels.PLURAL + "?labelSelector=" + RUN_LABEL
          + "%3D" + runId;
      try {
        bed.admin().raw(path, "DELETE", null);
      } catch (KubernetesClientException e) {
        log("could not delete run %s's workflows in %s: %s", runId, ns, e.getMessage());
      }
    }
  }

  private static double appMetric(HttpClient http, int port, String name) {
    try {
      HttpResponse<String> resp = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(10))
          .build(), HttpResponse.BodyHandlers.ofString());
      if (resp.statusCode() != 200) {
        return 0;
      }
      return PromText.parse(resp.body()).sum(name, s -> true);
    } catch (IOException e) {
      return 0; // not listening yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  static String table(String kind, List<Map<String, Object>> runs) {
    StringBuilder sb = new StringBuilder();
    sb.append("| run | workflows | archived/s | s until all archived | requests/wf | by verb"
        + " | qps-allowed archived/s | ratio | WATCH+informer LIST B/wf | read LIST B/wf | CPU s"
        + " | peak live heap MiB | OOM | rows (distinct) |\n");
    sb.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Map<String, Object> r : runs) {
      StringBuilder verbs = new StringBuilder();
      if (r.get("api_requests_by_verb") instanceof Map<?, ?> m) {
        for (var e : m.entrySet()) {
          verbs.append(verbs.isEmpty() ? "" : " ").append(e.getKey()).append(' ')
              .append(((Map<?, ?>) e.getValue()).get("per_workflow"));
        }
      }
      sb.append(String.format(Locale.ROOT,
          "| %s %s%s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s (%s) |\n",
          r.get("mode"), r.get("scenario"),
          ((List<?>) r.get("args")).isEmpty() ? "" : " " + String.join(" ",
              ((List<?>) r.get("args")).stream().map(String::valueOf).toList()),
          r.get("workflows"), r.get("archived_per_second"), r.get("seconds_until_all_archived"),
          r.get("api_requests_per_workflow"), verbs, r.get("qps_allowed_archived_per_second"),
          r.get("archived_per_second_vs_qps_allowed"),
          r.get("informer_list_and_watch_bytes_per_workflow"),
          r.get("read_list_bytes_per_workflow"), r.get("cpu_seconds"), r.get("peak_live_heap_mib"),
          r.get("out_of_memory"), r.get("archived_rows"), r.get("archived_distinct_uids")));
    }
    return sb.toString();
  }

  private static Map<String, Object> machine() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", Runtime.getRuntime().availableProcessors());
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean sun) {
      m.put("memory_bytes", sun.getTotalMemorySize());
      m.put("load_average_at_end", round(sun.getSystemLoadAverage()));
    }
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    return m;
  }

  static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  static void log(String format, Object... args) {
    System.err.println(Instant.now().toString().substring(11, 19) + " "
        + String.format(Locale.ROOT, format, args));
  }
}
