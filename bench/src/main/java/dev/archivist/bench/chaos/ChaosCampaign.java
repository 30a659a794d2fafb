package dev.archivist.bench.chaos;

import dev.archivist.bench.Parallel;
import dev.archivist.bench.e2e.KubeBed;
import dev.archivist.bench.store.DelayProxy;
import dev.archivist.controller.KubeClients;
import dev.archivist.core.WorkflowLabels;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import tools.jackson.databind.node.ObjectNode;

/**
 * One reliability campaign: two {@code archivist run} replicas with leader election and
 * {@code --delete-after} on a real API server and database, a steady stream of workflows, and the
 * faults one after another, each with its start and end logged; then the account
 * ({@link Account}), from the API server's and the database's own records.
 *
 * <p>Runs on the caller's thread, apart from the stream's threads and the lag watch.
 */
public final class ChaosCampaign {
  /** Lag under which Archivist counts as caught up after a fault. */
  static final double CAUGHT_UP_SECONDS = 10;
  private static final String LEASE_NAMESPACE = "chaos-lease";

  private final ChaosSettings s;
  private final ChaosCluster cluster;
  private final ChaosDatabase db;
  private final Path fixtures;
  private final Ledger ledger = new Ledger();
  private final AtomicInteger index = new AtomicInteger();
  private final List<Map<String, Object>> faults = new ArrayList<>();
  private long origin;
  private KubeWorkflows kube;
  private ChaosWorkflows bodies;
  private Replicas replicas;
  private LagWatch lag;
  private DelayProxy relay;

  public ChaosCampaign(ChaosSettings settings, ChaosCluster cluster, ChaosDatabase db,
      Path fixtures) {
    this.s = settings;
    this.cluster = cluster;
    this.db = db;
    this.fixtures = fixtures;
  }

  /** Runs the campaign and returns its report; {@link Account#ok} says whether it passed. */
  public Account run() throws Exception {
    origin = System.nanoTime();
    Files.createDirectories(s.out());
    bodies = new ChaosWorkflows(s.runId(), s.minSize(), s.maxSize(), fixtures);
    try (KubernetesClient admin = KubeClients.create(cluster.kubeconfig().toString(), 0, 0,
        Duration.ofSeconds(60))) {
      kube = new KubeWorkflows(admin);
      for (String ns : WorkflowStream.NAMESPACES) {
        KubeBed.ensureNamespace(admin, ns);
        int left = kube.purge(ns);
        if (left > 0) {
          log("removed %d workflows an earlier run left in %s", left, ns);
        }
      }
      KubeBed.ensureNamespace(admin, LEASE_NAMESPACE);
      relay = new DelayProxy(db.address(), 0);
      try (DelayProxy r = relay) {
        return campaign();
      }
    }
  }

  private Account campaign() throws Exception {
    List<String> args = new ArrayList<>(List.of(
        "--kubeconfig", cluster.kubeconfig().toString(), "--db", relay.rewrite(db.url()),
        "--bind-address", "127.0.0.1", "--cluster-name", ChaosSettings.CLUSTER,
        "--archive-label-selector", ChaosWorkflows.RUN_LABEL + "=" + s.runId(),
        "--leader-elect", "--lease-namespace", LEASE_NAMESPACE,
        "--lease-name", "archivist-" + s.runId(),
        "--delete-after", "1s", "--queue-capacity", Integer.toString(s.queueCapacity()),
        "--sweep-period", "15s", "--max-retries", "3", "--retry-base-delay", "200ms",
        "--retry-max-delay", "5s", "--kube-qps", "100", "--kube-burst", "200",
        "--db-connect-timeout", "10s"));
    if (s.finalizer()) {
      args.add("--finalizer");
    }
    List<String> jvm = new ArrayList<>(List.of("-Xmx" + s.heap(), "-XX:+UseG1GC",
        "-XX:+ExitOnOutOfMemoryError", "-Darchivist.bench.sampleMillis=5000",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
    if (s.heapDumpOverMiB() > 0) {
      jvm.add("-Darchivist.bench.heapDumpOverMiB=" + s.heapDumpOverMiB());
      jvm.add("-Darchivist.bench.heapDumpDir=" + s.out().resolve("heap"));
    }
    replicas = new Replicas(2, args, jvm, s.httpPort(), s.out());
    lag = new LagWatch(ledger, db.url(), ChaosSettings.CLUSTER, origin);
    WorkflowStream stream = new WorkflowStream(kube, bodies, ledger, s.rate(),
        s.compressedEvery(), index, s.runId());
    Map<String, Object> cpu = new LinkedHashMap<>();
    try (Replicas reps = replicas; LagWatch watch = lag) {
      replicas.startAll();
      waitFor("a leader", 300, () -> replicas.leader() >= 0);
      log("leader is replica %d; stream starts at %.1f/s", replicas.leader(), s.rate());
      stream.start();
      pause(15);

      int kills = 0;
      leaderKill(++kills);
      cpu.putAll(dbStop());
      if (kills < s.leaderKills()) {
        leaderKill(++kills);
      }
      dbSlow();
      apiServerKill();
      etcdCompaction();
      burst();
      poison();
      recreate();
      retryRace();
      while (kills < s.leaderKills()) {
        leaderKill(++kills);
      }
      waitFor("the stream to reach " + s.workflows() + " workflows", 24 * 3600,
          () -> stream.started() >= s.workflows());
      stream.close();
      log("stream stopped: %d started, %d completed, %d failed%s", stream.started(),
          stream.completed(), stream.failures(),
          stream.failures() > 0 ? " (last: " + stream.lastFailure() + ")" : "");
      Account account = new Account(ledger, db, kube, s, replicas);
      account.drain(s.drainSeconds());
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("stream_started", stream.started());
      figures.put("stream_completed", stream.completed());
      figures.put("stream_write_failures", stream.failures());
      figures.put("stream_last_failure", stream.lastFailure());
      figures.put("cpu_during_db_outage", cpu);
      figures.put("replica_cpu_seconds", round(replicas.cpuSeconds()));
      figures.put("replicas_that_exited_by_themselves", replicas.exits());
      figures.put("campaign_seconds", round(now()));
      figures.put("database_outage", db.outageKind());
      figures.put("load_average_1m_at_end", round(
          java.lang.management.ManagementFactory.getOperatingSystemMXBean()
              .getSystemLoadAverage()));
      account.settle(faults, figures, lag.samples());
      return account;
    } finally {
      stream.close();
    }
  }

  // ---- the faults ------------------------------------------------------------------------------

  private Map<String, Object> begin(String name, String what) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("fault", name);
    f.put("what", what);
    f.put("start_s", round(now()));
    f.put("start", Instant.now().toString());
    log("FAULT %s begins: %s", name, what);
    return f;
  }

  /** Ends a fault: logs it, waits for the lag to fall under 10 s, and records how long it took. */
  private void end(Map<String, Object> f) {
    double end = now();
    f.put("end_s", round(end));
    f.put("end", Instant.now().toString());
    log("FAULT %s ends after %.1f s", f.get("fault"), end - (Double) f.get("start_s"));
    long deadline = System.nanoTime() + s.settleSeconds() * 1_000_000_000L;
    while (System.nanoTime() < deadline && lag.recovery(end, CAUGHT_UP_SECONDS) < 0) {
      pause(1);
    }
    double recovery = lag.recovery(end, CAUGHT_UP_SECONDS);
    f.put("seconds_until_lag_under_10s", recovery < 0 ? null : round(recovery));
    f.put("peak_lag_s", round(lag.peak((Double) f.get("start_s"), now())));
    log("FAULT %s: lag under %.0f s %s", f.get("fault"), CAUGHT_UP_SECONDS,
        recovery < 0 ? "NOT reached within " + s.settleSeconds() + " s"
            : String.format(Locale.ROOT, "%.1f s after its end", recovery));
    faults.add(f);
    pause(5);
  }

  private void leaderKill(int n) {
    int leader = waitLeader();
    Map<String, Object> f = begin("leader-kill-" + n, "kill -9 of the leading replica while a"
        + " batch is in flight; the Deployment's restart is a new JVM on the same port");
    // In flight: a worker is busy with a batch (the queue's longest running processor > 0).
    long deadline = System.nanoTime() + 30_000_000_000L;
    boolean busy = false;
    while (System.nanoTime() < deadline) {
      if (replicas.metric(leader, "workqueue_longest_running_processor_seconds") > 0) {
        busy = true;
        break;
      }
      pause(0.005);
    }
    long killed = System.nanoTime();
    replicas.killAndRestart(leader);
    f.put("replica", leader);
    f.put("batch_in_flight_when_killed", busy);
    waitFor("another leader", 180, () -> replicas.leader() >= 0);
    f.put("seconds_until_new_leader", round((System.nanoTime() - killed) / 1e9));
    end(f);
  }

  private int waitLeader() {
    waitFor("a leader", 120, () -> replicas.leader() >= 0);
    return replicas.leader();
  }

  private Map<String, Object> dbStop() {
    Map<String, Object> f = begin("database-stopped", db.outageKind() + ", for "
        + s.dbOutageSeconds() + " s");
    db.stop();
    double cpu0 = replicas.cpuSeconds();
    long t0 = System.nanoTime();
    pause(s.dbOutageSeconds());
    double seconds = (System.nanoTime() - t0) / 1e9;
    double cpu = replicas.cpuSeconds() - cpu0;
    db.start();
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("seconds", round(seconds));
    c.put("cpu_seconds_both_replicas", round(cpu));
    c.put("cpu_percent_of_one_core", round(100 * cpu / seconds));
    f.put("cpu", c);
    end(f);
    return c;
  }

  private void dbSlow() {
    Map<String, Object> f = begin("database-slowed", "the relay delays every byte "
        + s.slowOneWayMillis() + " ms each way, for " + s.slowSeconds() + " s");
    relay.setOneWayDelay(s.slowOneWayMillis() * 1_000_000L);
    pause(s.slowSeconds());
    relay.setOneWayDelay(0);
    end(f);
  }

  private void apiServerKill() {
    Map<String, Object> f = begin("api-server-killed", "kill -9 of kube-apiserver, "
        + s.apiDownSeconds() + " s down, then started again (etcd keeps running)");
    cluster.killApiServer();
    pause(s.apiDownSeconds());
    cluster.startApiServer();
    end(f);
  }

  private void etcdCompaction() {
    Map<String, Object> f = begin("etcd-compacted", "etcd compacted at its current revision"
        + " while the API server was down (watches served by etcd), so every watch resumes from"
        + " a compacted revision and gets 410 Gone");
    cluster.killApiServer();
    f.put("compacted_at_revision", cluster.compactEtcd());
    cluster.startApiServer();
    end(f);
  }

  private void burst() throws Exception {
    int n = 10 * s.queueCapacity();
    Map<String, Object> f = begin("burst", n + " completed workflows at once, 10x"
        + " --queue-capacity " + s.queueCapacity());
    long t0 = System.nanoTime();
    Parallel.forEachIndex(n, 8, i -> {
      String ns = WorkflowStream.NAMESPACES[i % 2];
      String name = s.runId() + "-burst-" + i;
      String marker = "burst-1";
      ObjectNode wf = bodies.completed(index.getAndIncrement(), ns, name, marker);
      // The smallest size: the burst is about keys, not bytes.
      String uid = kube.create(wf);
      ledger.put(new Ledger.Entry(ns, name, uid, "burst", Ledger.Expect.ARCHIVED,
          wf.path("status").path("phase").asString(), marker, System.nanoTime(), true));
    });
    f.put("workflows", n);
    f.put("create_seconds", round((System.nanoTime() - t0) / 1e9));
    end(f);
  }

  private void poison() {
    Map<String, Object> f = begin("poison", "a 3 MiB workflow, NUL bytes, a label value too long"
        + " for the labels table, a phase too long for the phase column, a corrupt"
        + " compressedNodes");
    String ns = WorkflowStream.NAMESPACES[0];
    Map<String, Object> outcomes = new LinkedHashMap<>();
    // 3 MiB: a status message of 3 MiB.
    ObjectNode big = bodies.completed(index.getAndIncrement(), ns, s.runId() + "-poison-3mib",
        "poison-3mib");
    ((ObjectNode) big.get("status")).put("message", "x".repeat(3 * 1024 * 1024));
    outcomes.put("3mib", poisonCreate(big, "poison-3mib", Ledger.Expect.ARCHIVED));
    // NUL bytes, in the status and in a node's output: Argo replaces them on PostgreSQL.
    ObjectNode nul = bodies.completed(index.getAndIncrement(), ns, s.runId() + "-poison-nul",
        "poison-nul");
    ((ObjectNode) nul.get("status")).put("message", "before\u0000after \u0000");
    outcomes.put("nul", poisonCreate(nul, "poison-nul", Ledger.Expect.ARCHIVED));
    // A label value of 64 characters: the labels table's value is varchar(63).
    ObjectNode label = bodies.completed(index.getAndIncrement(), ns, s.runId() + "-poison-label",
        "poison-label");
    ((ObjectNode) label.get("metadata").get("labels")).put("chaos.archivist.dev/long",
        "v".repeat(64));
    outcomes.put("label_value_64", poisonCreate(label, "poison-label",
        Ledger.Expect.QUARANTINED));
    // A phase of 40 characters: the phase column is varchar(25).
    ObjectNode phase = bodies.completed(index.getAndIncrement(), ns, s.runId() + "-poison-phase",
        "poison-phase");
    ((ObjectNode) phase.get("status")).put("phase", "SucceededWithAPhaseLongerThanTheColumn");
    outcomes.put("phase_40", poisonCreate(phase, "poison-phase", Ledger.Expect.QUARANTINED));
    // compressedNodes that starts like gzip and is not.
    ObjectNode corrupt = bodies.completed(index.getAndIncrement(), ns,
        s.runId() + "-poison-corrupt", "poison-corrupt");
    ObjectNode st = (ObjectNode) corrupt.get("status");
    st.remove("nodes");
    st.put("compressedNodes", ChaosWorkflows.corruptCompressedNodes());
    outcomes.put("corrupt_compressed_nodes", poisonCreate(corrupt, "poison-corrupt",
        Ledger.Expect.QUARANTINED));
    f.put("outcomes", outcomes);
    end(f);
  }

  private boolean holdsOurFinalizer(String ns, String name) {
    GenericKubernetesResource w = kube.get(ns, name);
    return w != null && w.getMetadata().getFinalizers() != null
        && w.getMetadata().getFinalizers().stream().anyMatch(f -> f.contains("archivist"));
  }

  /** Creates a poison workflow; returns what the API server said. */
  private String poisonCreate(ObjectNode wf, String kind, Ledger.Expect expect) {
    String ns = wf.path("metadata").path("namespace").asString();
    String name = wf.path("metadata").path("name").asString();
    try {
      String uid = kube.create(wf);
      ledger.put(new Ledger.Entry(ns, name, uid, kind, expect,
          wf.path("status").path("phase").asString(), kind, System.nanoTime(), false));
      return "accepted by the API server (uid " + uid + "); expected " + expect;
    } catch (KubernetesClientException e) {
      ledger.refused(kind, e.getCode(), String.valueOf(e.getMessage()));
      return "refused by the API server: HTTP " + e.getCode() + " "
          + abbreviate(String.valueOf(e.getMessage()), 200);
    }
  }

  private void recreate() throws Exception {
    Map<String, Object> f = begin("delete-recreate", s.pokes() + " workflows deleted and created"
        + " again under the same name at once, before they could be archived"
        + (s.finalizer() ? " (each deleted once it holds our finalizer)" : ""));
    String ns = WorkflowStream.NAMESPACES[1];
    AtomicInteger held = new AtomicInteger();
    AtomicInteger heldBeforeDeletion = new AtomicInteger();
    Parallel.forEachIndex(s.pokes(), 8, j -> {
      String name = s.runId() + "-recreate-" + j;
      ObjectNode first = bodies.completed(index.getAndIncrement(), ns, name, "recreate-first");
      String uid1 = kube.create(first);
      boolean holdsOurs = false;
      if (s.finalizer()) {
        // A TTL or a user deletes a workflow that has existed for a while: by then the finalizer
        // is on. Deleted in the moment of its creation, before any controller has seen it, no
        // finalizer can hold it (the account then expects it may be lost, as without one).
        long until = System.nanoTime() + 60_000_000_000L;
        while (!(holdsOurs = holdsOurFinalizer(ns, name)) && System.nanoTime() < until) {
          pause(0.1);
        }
        if (holdsOurs) {
          heldBeforeDeletion.incrementAndGet();
        }
      }
      kube.delete(ns, name);
      // With the finalizer the first one stays (terminating) until it is archived: 409 meanwhile.
      ObjectNode second = bodies.completed(index.getAndIncrement(), ns, name, "recreate-second");
      String uid2 = null;
      long deadline = System.nanoTime() + 180_000_000_000L;
      while (uid2 == null) {
        try {
          uid2 = kube.create(second);
        } catch (KubernetesClientException e) {
          if (e.getCode() != 409 || System.nanoTime() > deadline) {
            throw e;
          }
          held.incrementAndGet();
          pause(0.2);
        }
      }
      ledger.put(new Ledger.Entry(ns, name, uid1, "recreated-first", holdsOurs
          ? Ledger.Expect.ARCHIVED : Ledger.Expect.MAY_BE_ARCHIVED,
          first.path("status").path("phase").asString(), "recreate-first", System.nanoTime(),
          false));
      ledger.put(new Ledger.Entry(ns, name, uid2, "recreated-second", Ledger.Expect.ARCHIVED,
          second.path("status").path("phase").asString(), "recreate-second", System.nanoTime(),
          false));
    });
    if (s.finalizer()) {
      f.put("first_held_by_our_finalizer_when_deleted", heldBeforeDeletion.get());
    }
    f.put("creates_refused_while_the_first_was_held", held.get());
    end(f);
  }

  private void retryRace() throws Exception {
    Map<String, Object> f = begin("retry-label-change", s.pokes() + " completed workflows"
        + " retried as argo retry does (completed and archiving-status labels removed, phase"
        + " Running) 0..2 s after completion, some between Archivist's read and its label PATCH;"
        + " completed again 3 s later");
    String ns = WorkflowStream.NAMESPACES[0];
    Map<String, Integer> when = new java.util.concurrent.ConcurrentHashMap<>();
    List<String> deletedWhileRunning = java.util.Collections.synchronizedList(new ArrayList<>());
    Parallel.forEachIndex(s.pokes(), 8, j -> {
      String name = s.runId() + "-retry-" + j;
      ObjectNode first = bodies.completed(index.getAndIncrement(), ns, name, "retry-1");
      String uid = kube.create(first);
      pause(j * 2.0 / Math.max(1, s.pokes()));
      boolean row = hasRow(uid);
      GenericKubernetesResource before = kube.get(ns, name);
      if (before == null) {
        when.merge("gone before the retry (archived and deleted)", 1, Integer::sum);
        ledger.put(new Ledger.Entry(ns, name, uid, "retried", Ledger.Expect.ARCHIVED,
            first.path("status").path("phase").asString(), "retry-1", System.nanoTime(), false));
        return;
      }
      boolean marked = WorkflowLabels.STATUS_ARCHIVED.equals(
          before.getMetadata().getLabels().get(WorkflowLabels.ARCHIVING_STATUS));
      when.merge(!row ? "before its row was written" : !marked
          ? "after its row was committed, before it was labelled" : "after it was labelled", 1,
          Integer::sum);
      ObjectNode retry = ChaosWorkflows.JSON.createObjectNode();
      ObjectNode labels = retry.putObject("metadata").putObject("labels");
      labels.putNull(WorkflowLabels.COMPLETED);
      labels.putNull(WorkflowLabels.ARCHIVING_STATUS);
      labels.put(WorkflowLabels.PHASE, "Running");
      retry.withObject("metadata").putObject("annotations").put(ChaosWorkflows.FINAL, "retrying");
      retry.putObject("status").put("phase", "Running").putNull("finishedAt");
      try {
        kube.mergePatch(ns, name, retry);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          throw e;
        }
        when.merge("gone before the retry (archived and deleted)", 1, Integer::sum);
        ledger.put(new Ledger.Entry(ns, name, uid, "retried", Ledger.Expect.ARCHIVED,
            first.path("status").path("phase").asString(), "retry-1", System.nanoTime(), false));
        return;
      }
      pause(3);
      ObjectNode again = ChaosWorkflows.JSON.createObjectNode();
      ObjectNode l2 = again.putObject("metadata").putObject("labels");
      l2.put(WorkflowLabels.COMPLETED, "true");
      l2.put(WorkflowLabels.PHASE, "Succeeded");
      again.withObject("metadata").putObject("annotations").put(ChaosWorkflows.FINAL, "retry-2");
      again.putObject("status").put("phase", "Succeeded")
          .put("finishedAt", Instant.now().toString());
      try {
        kube.mergePatch(ns, name, again);
        ledger.put(new Ledger.Entry(ns, name, uid, "retried", Ledger.Expect.ARCHIVED,
            "Succeeded", "retry-2", System.nanoTime(), false));
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          throw e;
        }
        // Deleted while it ran again: its last state was never archived.
        deletedWhileRunning.add(ns + "/" + name + " (uid " + uid + ")");
        ledger.put(new Ledger.Entry(ns, name, uid, "retried", Ledger.Expect.ARCHIVED,
            "Succeeded", "retry-2", System.nanoTime(), false));
      }
    });
    f.put("retried", when);
    f.put("deleted_while_running_again", deletedWhileRunning);
    end(f);
  }

  private boolean hasRow(String uid) {
    try (Connection c = DriverManager.getConnection(db.url());
        PreparedStatement ps = c.prepareStatement("select 1 from argo_archived_workflows where"
            + " clustername = ? and uid = ?")) {
      ps.setString(1, ChaosSettings.CLUSTER);
      ps.setString(2, uid);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      return false;
    }
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private double now() {
    return (System.nanoTime() - origin) / 1e9;
  }

  static void waitFor(String what, double seconds, BooleanSupplier done) {
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no " + what + " within " + seconds + " s");
      }
      pause(0.5);
    }
  }

  static void pause(double seconds) {
    try {
      Thread.sleep((long) (seconds * 1000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  static String abbreviate(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max) + "...";
  }

  static void log(String format, Object... args) {
    System.err.println(Instant.now().toString().substring(11, 19) + " chaos: "
        + String.format(Locale.ROOT, format, args));
  }

  static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}
