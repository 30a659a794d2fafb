package dev.archivist.bench.argo;

import dev.archivist.bench.Parallel;
import dev.archivist.bench.store.DelayProxy;
import dev.archivist.controller.kube.Workflows;
import dev.archivist.testing.Crds;
import dev.archivist.testing.FreePorts;
import dev.archivist.testing.Processes;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code bench/argo-memory}: the real Argo controller and Archivist, each alone, archiving the same
 * backlog of completed 64 KiB workflows from a real API server into PostgreSQL behind a delay
 * relay (so that archiving is throttled), with each process's resident memory (and Go heap or
 * Java heap) sampled against the backlog.
 *
 * <p>Argo: the workflows are created completed and labelled {@code Pending}, as Argo's controller
 * leaves them with its archive on; then {@code workflow-controller} starts with
 * {@code persistence.archive: true}. Archivist: the same number of workflows, completed and not
 * labelled, then {@code archivist run}. The backlog is counted from the archive table itself
 * (rows not yet written), outside the relay.
 *
 * <p>Writes {@code target/bench/argo-memory.json} and {@code .png} and prints a table.
 */
public final class ArgoMemoryBench {
  static final JsonMapper JSON = JsonMapper.builder().build();

  private ArgoMemoryBench() {}

  /** One sample of one process. */
  record Sample(double seconds, long backlog, long rssBytes, long heapBytes) {}

  /** One process's run. */
  record Run(String name, String heapKind, List<Sample> samples, double secondsToDrain,
      boolean drained) {}

  public static void main(String[] args) throws Exception {
    ArgoMemoryOptions o;
    try {
      o = ArgoMemoryOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench/argo-memory: " + e.getMessage());
      System.err.println(ArgoMemoryOptions.USAGE);
      System.exit(2);
      return;
    }
    Files.createDirectories(o.out());
    Config config = Config.fromKubeconfig(Files.readString(o.kubeconfig()));
    List<Run> runs = new ArrayList<>();
    try (KubernetesClient kube = new KubernetesClientBuilder().withConfig(config).build()) {
      installCrds(kube, o.argoBin().resolve("crds"));
      if (o.modes().contains("argo")) {
        runs.add(runArgo(kube, o));
      }
      if (o.modes().contains("archivist")) {
        runs.add(runArchivist(kube, o));
      }
    }
    ArgoMemoryReport.write(o, runs);
  }

  // --- Argo -------------------------------------------------------------------------------------

  private static Run runArgo(KubernetesClient kube, ArgoMemoryOptions o) throws Exception {
    String home = "argo-memory-argo";
    String wfNs = "argo-memory-argo-wf";
    String db = "argo_memory_argo";
    recreateNamespace(kube, home);
    BenchPostgres pg = backlog(kube, o, "argo", wfNs, db, true);
    try (DelayProxy relay = relay(o)) {
      int metricsPort = FreePorts.loopback();
      String persistence = "archive: true\n"
          + "postgresql:\n"
          + "  host: 127.0.0.1\n"
          + "  port: " + relay.port() + "\n"
          + "  database: " + db + "\n"
          + "  tableName: argo_workflows\n"
          + "  userNameSecret: {name: argo-db, key: username}\n"
          + "  passwordSecret: {name: argo-db, key: password}\n";
      String metrics = "enabled: true\nport: " + metricsPort + "\nsecure: false\npath: /metrics\n";
      kube.configMaps().inNamespace(home).resource(new ConfigMapBuilder().withNewMetadata()
          .withName("workflow-controller-configmap").endMetadata()
          .withData(Map.of("persistence", persistence, "metricsConfig", metrics)).build())
          .create();
      kube.secrets().inNamespace(home).resource(new SecretBuilder().withNewMetadata()
          .withName("argo-db").endMetadata()
          .withStringData(Map.of("username", pg.user(), "password", pg.password())).build())
          .create();
      Path log = o.out().resolve("argo-memory-workflow-controller.log");
      ProcessBuilder pb = new ProcessBuilder(o.argoBin().resolve("workflow-controller").toString(),
          "--kubeconfig", o.kubeconfig().toString(), "--namespace", home,
          "--loglevel", "warn", "--workflow-archive-workers", "8")
          .redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().put("LEADER_ELECTION_DISABLE", "true");
      System.err.printf("argo: starting workflow-controller (archive through a %.1f ms relay),"
          + " log %s%n", o.delayMs(), log);
      return run("argo", "go heap", pb, o, pg, () -> goHeap(metricsPort));
    }
  }

  // --- Archivist --------------------------------------------------------------------------------

  private static Run runArchivist(KubernetesClient kube, ArgoMemoryOptions o) throws Exception {
    String wfNs = "argo-memory-archivist-wf";
    String db = "argo_memory_archivist";
    BenchPostgres pg = backlog(kube, o, "archivist", wfNs, db, false);
    try (DelayProxy relay = relay(o)) {
      int httpPort = FreePorts.loopback();
      String url = "jdbc:postgresql://127.0.0.1:" + relay.port() + "/" + db + "?user="
          + pg.user();
      Path log = o.out().resolve("argo-memory-archivist.log");
      List<String> command = Processes.javaCommand(List.of("-Xmx" + o.archivistHeap()),
          "dev.archivist.app.Main", List.of("run", "--kubeconfig", o.kubeconfig().toString(),
              "--namespace", wfNs, "--db", url, "--http-port", Integer.toString(httpPort),
              "--bind-address", "127.0.0.1"));
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(log.toFile());
      System.err.printf("archivist: starting archivist run (archive through a %.1f ms relay),"
          + " log %s%n", o.delayMs(), log);
      return run("archivist", "java heap", pb, o, pg, () -> javaHeap(httpPort));
    }
  }

  // --- sampling ---------------------------------------------------------------------------------

  interface HeapProbe {
    long read();
  }

  /**
   * Starts the archiver {@code pb} describes, with only its own {@code --kubeconfig}, samples it
   * until the backlog has drained and settled (or the time is up), then stops it and drops its
   * database.
   */
  private static Run run(String name, String heapKind, ProcessBuilder pb, ArgoMemoryOptions o,
      BenchPostgres pg, HeapProbe heap) throws Exception {
    pb.environment().remove("KUBECONFIG");
    Process p = pb.start();
    try {
      return sample(name, heapKind, p, o, pg, heap);
    } finally {
      stop(p);
      pg.drop();
    }
  }

  private static Run sample(String name, String heapKind, Process p, ArgoMemoryOptions o,
      BenchPostgres pg, HeapProbe heap) throws Exception {
    List<Sample> samples = new ArrayList<>();
    long start = System.nanoTime();
    long deadline = start + o.maxSeconds() * 1_000_000_000L;
    double drainedAt = -1;
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException(name + " exited with " + p.exitValue()
            + " during the run; see its log under " + o.out());
      }
      long archived = pg.archivedRows();
      double t = (System.nanoTime() - start) / 1e9;
      Sample s = new Sample(t, Math.max(0, o.workflows() - archived), ProcessMemory.rss(p.pid()),
          heap.read());
      samples.add(s);
      if (samples.size() % 10 == 1) {
        System.err.printf(Locale.ROOT, "%s: t=%5.0fs backlog=%5d rss=%6.1f MiB %s=%6.1f MiB%n",
            name, t, s.backlog(), s.rssBytes() / 1048576.0, heapKind,
            s.heapBytes() / 1048576.0);
      }
      if (s.backlog() == 0 && drainedAt < 0) {
        drainedAt = t;
      }
      if (drainedAt >= 0 && t - drainedAt >= o.settleSeconds()) {
        break;
      }
      Thread.sleep(o.sampleMillis());
    }
    return new Run(name, heapKind, samples, drainedAt, drainedAt >= 0);
  }

  /** Argo's Go heap from its Prometheus endpoint: -1 when it exports none we know. */
  private static long goHeap(int port) {
    String text = scrape(port);
    long v = metric(text, "go_memstats_heap_alloc_bytes");
    if (v < 0) {
      v = metric(text, "go_memory_used_bytes");
    }
    return v;
  }

  /** Archivist's Java heap in use, summed over the heap pools: -1 when unavailable. */
  private static long javaHeap(int port) {
    return metric(scrape(port), "jvm_memory_used_bytes{area=\"heap\"");
  }

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(1)).build();

  private static String scrape(int port) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(3))
          .build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** The sum of every sample line starting with {@code prefix}; -1 when there is none. */
  static long metric(String text, String prefix) {
    double sum = 0;
    boolean found = false;
    for (String line : text.split("\n")) {
      if (line.startsWith(prefix) && (line.charAt(prefix.length()) == ' '
          || line.charAt(prefix.length()) == '{' || line.charAt(prefix.length()) == ',')) {
        String value = line.substring(line.lastIndexOf(' ') + 1);
        try {
          sum += Double.parseDouble(value);
          found = true;
        } catch (NumberFormatException e) {
          // a comment or a timestamped line we do not read
        }
      }
    }
    return found ? (long) sum : -1;
  }

  // --- set-up -----------------------------------------------------------------------------------

  private static void installCrds(KubernetesClient kube, Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      Crds.install(kube, files.filter(x -> x.toString().endsWith(".yaml")).sorted().toList());
    }
  }

  private static void recreateNamespace(KubernetesClient kube, String name) {
    if (kube.namespaces().withName(name).get() != null) {
      Workflows.operation(kube).inNamespace(name).delete();
      kube.configMaps().inNamespace(name).delete();
      kube.secrets().inNamespace(name).delete();
      return;
    }
    kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
        .endMetadata().build()).create();
  }

  /**
   * The same start for either archiver: namespace {@code wfNs} emptied (or created) and filled
   * with the backlog of completed workflows, labelled {@code Pending} when {@code pending}, and a
   * new database {@code db}.
   */
  private static BenchPostgres backlog(KubernetesClient kube, ArgoMemoryOptions o, String name,
      String wfNs, String db, boolean pending) throws Exception {
    recreateNamespace(kube, wfNs);
    BenchPostgres pg = BenchPostgres.recreate(o.db(), db);
    System.err.printf("%s: creating %d completed workflows of %d bytes%s%n", name,
        o.workflows(), o.sizeBytes(), pending ? " (Pending)" : "");
    createWorkflows(kube, wfNs, o, pending);
    return pg;
  }

  /** The relay to {@code --db} that delays each way by {@code --delay-ms}. */
  private static DelayProxy relay(ArgoMemoryOptions o) throws IOException {
    return new DelayProxy(DelayProxy.hostPort(o.db()),
        TimeUnit.MICROSECONDS.toNanos((long) (o.delayMs() * 1000)));
  }

  /** Creates the workflows with a few threads; returns when all exist. */
  private static void createWorkflows(KubernetesClient kube, String ns, ArgoMemoryOptions o,
      boolean pending) throws Exception {
    Parallel.forEachIndex(o.workflows(), 4, index -> {
      ObjectNode wf = BenchArgoWorkflows.completed(ns, index, o.sizeBytes(), pending);
      Workflows.operation(kube).inNamespace(ns)
          .resource(JSON.treeToValue(wf, GenericKubernetesResource.class)).create();
    });
  }

  private static void stop(Process p) throws InterruptedException {
    p.destroy();
    if (!p.waitFor(15, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(15, TimeUnit.SECONDS);
    }
  }

  /** A bench database of its own, counted outside the relay. */
  record BenchPostgres(String adminUrl, String database, String user, String password) {
    static BenchPostgres recreate(String adminUrl, String database) throws SQLException {
      try (Connection c = DriverManager.getConnection(adminUrl);
          Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + database);
        s.execute("CREATE DATABASE " + database);
      }
      String user = queryParameter(adminUrl, "user", "postgres");
      String password = queryParameter(adminUrl, "password", "");
      return new BenchPostgres(adminUrl, database, user, password);
    }

    String url() {
      return adminUrl.replaceFirst("(//[^/]+/)[^?]*", "$1" + database);
    }

    /** Rows in the archive table; 0 before it exists. */
    long archivedRows() {
      try (Connection c = DriverManager.getConnection(url());
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM argo_archived_workflows")) {
        rs.next();
        return rs.getLong(1);
      } catch (SQLException e) {
        return 0; // not created yet
      }
    }

    void drop() {
      try (Connection c = DriverManager.getConnection(adminUrl);
          Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
      } catch (SQLException e) {
        System.err.println("bench/argo-memory: could not drop database " + database + ": "
            + e.getMessage());
      }
    }

    private static String queryParameter(String url, String key, String otherwise) {
      int q = url.indexOf('?');
      if (q < 0) {
        return otherwise;
      }
      for (String pair : url.substring(q + 1).split("&")) {
        if (pair.startsWith(key + "=")) {
          return pair.substring(key.length() + 1);
        }
      }
      return otherwise;
    }
  }
}
