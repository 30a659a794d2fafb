package dev.archivist.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.archivist.controller.kube.ForwardingWorkflowApi;
import dev.archivist.controller.kube.LifecycleApi;
import dev.archivist.controller.kube.WorkflowApi;
import dev.archivist.controller.kube.WorkflowApiException;
import dev.archivist.core.LabelSelector;
import dev.archivist.core.Operator;
import dev.archivist.core.Requirement;
import dev.archivist.core.WorkflowKey;
import dev.archivist.core.WorkflowLabels;
import dev.archivist.store.ArchiveStore;
import dev.archivist.testing.Fixtures;
import dev.archivist.testing.PostgresExtension;
import dev.archivist.testing.TcpProxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The core path on PostgreSQL, plus the faults and edge cases (which need only one database). */
@ExtendWith(PostgresExtension.class)
class PostgresArchiveControllerTest extends ArchiveControllerContract {

  /** The selector goes to the server: a workflow it excludes is never even read. */
  @Test
  void archive_selectorIsAppliedByTheServer() throws Exception {
    LabelSelector teamA = LabelSelector.of(List.of(
        new Requirement("team", Operator.EQUALS, List.of("a"))));
    DefaultArchiveController c = start(config().withArchiveSelector(teamA));
    ObjectNode picked = TestWorkflows.completed(ns, "picked");
    TestWorkflows.labels(picked).put("team", "a");
    ObjectNode left = TestWorkflows.completed(ns, "left");
    TestWorkflows.labels(left).put("team", "b");
    String leftUid = cluster.create(left);
    String pickedUid = cluster.create(picked);

    awaitArchived("picked");
    // The informers see the Archived label a moment after the PATCH that the test saw land.
    await().until(() -> c.stats().archived() == 1 && c.stats().pending() == 0);
    assertThat(c.stats().skipped()).isZero();
    assertThat(c.stats().pending()).isZero();

    assertThat(rows(pickedUid)).isEqualTo(1);
    assertThat(rows(leftUid)).isZero();
    assertThat(cluster.archivingStatus(ns, "left")).isNull();
    assertThat(c.queue().numRequeues(new WorkflowKey(ns, "left"))).isZero();
  }

  @Test
  void archive_severalNamespaces_watchesOnlyThose() throws Exception {
    String a = ns + "-a";
    String b = ns + "-b";
    String other = ns + "-other";
    DefaultArchiveController c = start(config().withNamespaces(List.of(a, b)));
    String otherUid = cluster.create(TestWorkflows.completed(other, "w"));

    createAndAwaitArchived(a, b);

    assertThat(rows(otherUid)).isZero();
    assertThat(cluster.archivingStatus(other, "w")).isNull();
    // Counted once the label PATCH returns: the count may trail the label.
    await().until(() -> c.stats().archived() >= 2);
    assertThat(c.stats().archived()).isEqualTo(2);
  }

  @Test
  void archive_allNamespaces_oneInformerSeesEveryNamespace() throws Exception {
    String a = ns + "-x";
    String b = ns + "-y";
    start(config().withNamespaces(List.of()));

    createAndAwaitArchived(a, b);
  }

  /**
   * Creates a completed workflow {@code w} in each of {@code namespaces}, waits until every one
   * is labelled Archived, and asserts that each has exactly one row.
   */
  private void createAndAwaitArchived(String... namespaces) throws Exception {
    List<String> uids = new ArrayList<>();
    for (String namespace : namespaces) {
      uids.add(cluster.create(TestWorkflows.completed(namespace, "w")));
    }
    await().untilAsserted(() -> {
      for (String namespace : namespaces) {
        assertThat(cluster.archivingStatus(namespace, "w")).isEqualTo("Archived");
      }
    });
    for (String uid : uids) {
      assertThat(rows(uid)).isEqualTo(1);
    }
  }

  /**
   * While the database fails, the workers wait for it (one probe at a time, backing off) instead
   * of re-reading their workflows and growing each one's backoff; then they drain at once.
   */
  @Test
  void archive_databaseGoesAwayAndComesBack_holdsTheWorkersAndLosesNothing() throws Exception {
    try (TcpProxy proxy = TcpProxy.inFrontOf(db.jdbcUrl());
        ArchiveStore proxied = openStore(proxy.route(db.jdbcUrl()))) {
      java.util.concurrent.atomic.AtomicInteger gets =
          new java.util.concurrent.atomic.AtomicInteger();
      DefaultArchiveController c = start(config(), proxied, w -> new ForwardingWorkflowApi(w) {
        @Override
        public Optional<JsonNode> get(WorkflowKey key) {
          gets.incrementAndGet();
          return w.get(key);
        }

        @Override
        public WorkflowApi.Page list(String namespace, String selector, int limit,
            String continueToken) {
          gets.incrementAndGet(); // a read too, on a real API server
          return w.list(namespace, selector, limit, continueToken);
        }
      });
      String uid1 = cluster.create(TestWorkflows.completed(ns, "before"));
      awaitArchived("before");

      proxy.cutOff();
      String uid2 = cluster.create(TestWorkflows.completed(ns, "during-1"));
      String uid3 = cluster.create(TestWorkflows.completed(ns, "during-2"));
      await().until(() -> c.databaseGate().isDown()
          && counter("archivist.archive.failures", "reason", "database") >= 1.0);
      int readsWhenHeld = gets.get();
      await().atMost(Duration.ofSeconds(30)).until(() -> c.databaseGate().probes() >= 3);
      assertThat(gets.get() - readsWhenHeld).as("reads while the database is down")
          .isLessThanOrEqualTo(2);
      assertThat(cluster.archivingStatus(ns, "during-1")).isNull();

      proxy.restore();
      awaitArchived("during-1");
      awaitArchived("during-2");

      assertThat(rows(uid1)).isEqualTo(1);
      assertThat(rows(uid2)).isEqualTo(1);
      assertThat(rows(uid3)).isEqualTo(1);
      assertThat(allRows()).isEqualTo(3);
      assertThat(c.queue().numRequeues(new WorkflowKey(ns, "during-1"))).isZero();
      assertThat(c.queue().numRequeues(new WorkflowKey(ns, "during-2"))).isZero();
      assertThat(counter("archivist.archive.failures", "reason", "database"))
          .as("failed attempts: only the batches in flight when it failed")
          .isLessThanOrEqualTo(2.0);
      c.close();
    }
  }

  @Test
  void archive_workflowDeletedBeforeItIsArchived_isForgotten() throws Exception {
    // Reads of this workflow fail (it keeps retrying) until the test has deleted it, so no
    // attempt can have read it before the deletion.
    AtomicBoolean readsFail = new AtomicBoolean(true);
    AtomicInteger failedReads = new AtomicInteger();
    DefaultArchiveController c = start(config(), store, api -> new ForwardingWorkflowApi(api) {
      @Override
      public Optional<JsonNode> get(WorkflowKey key) {
        if (readsFail.get()) {
          failedReads.incrementAndGet();
          throw new WorkflowApiException("GET", key, 503, 0,
              new RuntimeException("injected: API server unavailable"));
        }
        return api.get(key);
      }

      @Override
      public WorkflowApi.Page list(String namespace, String selector, int limit,
          String continueToken) {
        if (readsFail.get()) {
          failedReads.incrementAndGet();
          throw new WorkflowApiException("LIST", new WorkflowKey(namespace, "*"), 503, 0,
              new RuntimeException("injected: API server unavailable"));
        }
        return api.list(namespace, selector, limit, continueToken);
      }
    });
    WorkflowKey key = new WorkflowKey(ns, "short-lived");
    String uid = cluster.create(TestWorkflows.completed(ns, "short-lived"));
    // A worker tried to read it (by GET on the mock, by a LIST page on a real server) and failed.
    await().atMost(Duration.ofSeconds(60)).until(() -> failedReads.get() >= 1);

    cluster.delete(ns, "short-lived");
    readsFail.set(false);

    // Skipped at least once: a retry already scheduled before the flip may see it gone too.
    await().atMost(Duration.ofSeconds(60))
        .until(() -> c.stats().skipped() >= 1 && c.queue().numRequeues(key) == 0);
    assertThat(rows(uid)).isZero();
    assertThat(c.stats().archived()).isZero();
    assertThat(counter("archivist.archive.failures", "reason", "kube_unavailable"))
        .as("503 is an outage").isGreaterThanOrEqualTo(1.0);
    assertThat(c.quarantine().size()).isZero();
  }

  @Test
  void archive_everyFixture_readsBackEqualApartFromThePersistedLabel() throws Exception {
    List<Path> files = new ArrayList<>(Fixtures.yamlFiles("argo"));
    files.addAll(Fixtures.yamlFiles("kfp"));
    assertThat(files).isNotEmpty();
    start(config().withBatchSize(4));
    YAMLMapper yaml = YAMLMapper.builder().build();
    Map<String, ObjectNode> sentByName = new LinkedHashMap<>();
    Map<String, String> uidByName = new LinkedHashMap<>();
    for (Path file : files) {
      ObjectNode wf = (ObjectNode) yaml.readTree(file.toFile());
      String name = file.getFileName().toString().replace(".yaml", "")
          .replace('_', '-').toLowerCase(Locale.ROOT);
      asCompletedFixture(wf, name);
      sentByName.put(name, wf.deepCopy());
      uidByName.put(name, cluster.create(wf));
    }

    for (String name : sentByName.keySet()) {
      awaitArchived(name);
    }

    for (Map.Entry<String, ObjectNode> e : sentByName.entrySet()) {
      String name = e.getKey();
      String uid = uidByName.get(name);
      ObjectNode stored = store.get(uid).orElseThrow();
      ObjectNode live = (ObjectNode) cluster.get(ns, name).orElseThrow();
      assertThat(stored.path("metadata").path("labels").path(WorkflowLabels.ARCHIVING_STATUS)
          .asString()).as(name).isEqualTo("Persisted");
      assertThat(sameJson(withoutVolatileFields(stored), withoutVolatileFields(live)))
          .as("%s: stored copy equals the live object apart from the status label, the "
              + "archived-at annotation and resourceVersion%nstored: %s%nlive:   %s", name,
              stored, live)
          .isTrue();
      assertThat(sameJson(stored.path("spec"), e.getValue().path("spec")))
          .as("%s: spec as created", name).isTrue();
      assertThat(sameJson(stored.path("status"), e.getValue().path("status")))
          .as("%s: status as created", name).isTrue();
      assertThat(rows(uid)).isEqualTo(1);
    }
  }

  @Test
  void archive_malformedObjects_neverCrashOrStallTheLoop() throws Exception {
    assumeFalse(cluster.validatesObjects(), "a real API server refuses a string status and a"
        + " 300-character label value, so those objects cannot reach the controller there");
    // What the API server would not serve is injected behind the workers' GET.
    DefaultArchiveController c = start(config(), store, api -> new ForwardingWorkflowApi(api) {
      @Override
      public Optional<JsonNode> get(WorkflowKey key) {
        Optional<JsonNode> live = api.get(key);
        if (live.isEmpty()) {
          return live;
        }
        ObjectNode wf = (ObjectNode) live.get();
        switch (key.name()) {
          case "no-uid":
            ((ObjectNode) wf.get("metadata")).remove("uid");
            return Optional.of(wf);
          case "not-an-object":
            return Optional.of(TestWorkflows.JSON.getNodeFactory().stringNode("oops"));
          default:
            return live;
        }
      }
    });
    ObjectNode noStatus = TestWorkflows.completed(ns, "no-status");
    noStatus.remove("status");
    ObjectNode statusNotObject = TestWorkflows.completed(ns, "status-not-object");
    statusNotObject.put("status", "Succeeded");
    ObjectNode badTimes = TestWorkflows.completed(ns, "bad-times");
    ((ObjectNode) badTimes.get("status")).put("startedAt", "yesterday")
        .put("finishedAt", "2026-13-45T99:99:99Z");
    ObjectNode longLabel = TestWorkflows.completed(ns, "long-label");
    TestWorkflows.labels(longLabel).put("example.com/too-long", "v".repeat(300));
    List<String> names = List.of("no-status", "status-not-object", "bad-times", "long-label",
        "no-uid", "not-an-object");
    cluster.create(noStatus);
    cluster.create(statusNotObject);
    cluster.create(badTimes);
    cluster.create(longLabel);
    cluster.create(TestWorkflows.completed(ns, "no-uid"));
    cluster.create(TestWorkflows.completed(ns, "not-an-object"));

    // Each one settles: archived, skipped, or failing with a counted reason and retrying (or,
    // after --max-retries failures of its own, quarantined).
    await().untilAsserted(() -> {
      for (String name : names) {
        WorkflowKey key = new WorkflowKey(ns, name);
        boolean archived = "Archived".equals(cluster.archivingStatus(ns, name));
        boolean retrying = c.queue().numRequeues(key) >= 1 || c.quarantine().entry(key) != null;
        assertThat(archived || retrying || name.equals("not-an-object"))
            .as("%s is archived or retrying", name).isTrue();
      }
    });
    WorkflowKey noUid = new WorkflowKey(ns, "no-uid");
    await().until(() -> c.queue().numRequeues(noUid) >= 2 || c.quarantine().entry(noUid) != null);
    assertThat(counter("archivist.archive.failures", "reason", "malformed"))
        .isGreaterThanOrEqualTo(2.0);
    assertThat(cluster.archivingStatus(ns, "no-uid")).isNull();

    // The loop still runs: a good workflow created afterwards is archived, by live workers.
    String afterUid = cluster.create(TestWorkflows.completed(ns, "after"));
    awaitArchived("after");
    assertThat(rows(afterUid)).isEqualTo(1);
    assertThat(workerThreads).hasSize(2).allMatch(Thread::isAlive);
    assertThat(c.stats().failures()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void archive_keysDroppedAtCapacity_areSweptBackIn() throws Exception {
    for (int i = 0; i < 6; i++) {
      cluster.create(TestWorkflows.completed(ns, "burst-" + i));
    }
    DefaultArchiveController c = start(config().withQueueCapacity(1).withWorkers(1)
        .withBatchSize(1).withSweepPeriod(Duration.ofMillis(100)));

    for (int i = 0; i < 6; i++) {
      awaitArchived("burst-" + i);
    }
    // The worker counts a workflow after its label PATCH returns: the count may trail the label.
    await().until(() -> c.stats().archived() >= 6);
    assertThat(c.stats().archived()).isEqualTo(6);
    assertThat(allRows()).isEqualTo(6);
  }

  @Test
  void close_waitingForArchiveTokens_abandonsTheBatchAndDrains() throws Exception {
    // One token, then one more every ~16 minutes: the second workflow's batch waits for it.
    DefaultArchiveController c = start(config().withArchiveQps(0.001).withArchiveBurst(1)
        .withWorkers(1).withBatchSize(1));
    cluster.create(TestWorkflows.completed(ns, "first"));
    awaitArchived("first");
    String secondUid = cluster.create(TestWorkflows.completed(ns, "second"));
    await().until(() -> workerThreads.get(0).getState() == Thread.State.TIMED_WAITING
        && c.queue().len() == 0 && c.stats().pending() == 1);

    c.close();

    assertThat(c.drainedAtClose()).as("no worker needed the timeout's interrupt").isTrue();
    assertThat(workerThreads).noneMatch(Thread::isAlive);
    assertThat(rows(secondUid)).isZero();
    assertThat(cluster.archivingStatus(ns, "second")).isNull();
    assertThat(c.queue().isShuttingDown()).isTrue();
  }

  @Test
  void close_isIdempotentAndAControllerStartsOnlyOnce() throws Exception {
    DefaultArchiveController c = start(config());
    cluster.create(TestWorkflows.completed(ns, "one"));
    awaitArchived("one");

    c.close();
    c.close();

    assertThat(c.drainedAtClose()).isTrue();
    assertThat(workerThreads).noneMatch(Thread::isAlive);
    assertThatThrownBy(c::start).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("CLOSED");
    assertThat(c.stats().archived()).isEqualTo(1);
  }

  @Test
  void metrics_areExportedUnderTheDesignNames() throws Exception {
    start(config());
    cluster.create(TestWorkflows.completed(ns, "measured"));
    awaitArchived("measured");
    // The worker counts the workflow once its PATCH returns, a moment after the label lands.
    await().until(() -> counter("archivist.workflows.archived") == 1.0);

    String scrape = registry.scrape();
    assertThat(scrape)
        .contains("archivist_workflows_archived_total 1.0")
        .contains("archivist_archive_failures_total{reason=\"database\"} 0.0")
        .contains("archivist_archive_failures_total{reason=\"kube_patch\"} 0.0")
        .contains("archivist_workflows_quarantined_total 0.0")
        .contains("archivist_workflows_deleted_total 0.0")
        .contains("archivist_archive_batch_seconds_count")
        .contains("archivist_archive_lag_seconds_count 1")
        .contains("archivist_pending_workflows ")
        .contains("archivist_leader 1.0")
        .contains("workqueue_depth{name=\"archive\"}")
        .contains("workqueue_adds_total{name=\"archive\"}");
  }

  // ---- helpers --------------------------------------------------------------------------------

  private void asCompletedFixture(ObjectNode wf, String name) {
    wf.put("apiVersion", "argoproj.io/v1alpha1");
    wf.put("kind", "Workflow");
    ObjectNode meta = wf.withObjectProperty("metadata");
    meta.remove(List.of("uid", "resourceVersion", "generateName", "selfLink",
        "creationTimestamp", "managedFields"));
    meta.put("name", name);
    meta.put("namespace", ns);
    meta.withObjectProperty("labels").put(WorkflowLabels.COMPLETED, "true");
    ObjectNode status = wf.withObjectProperty("status");
    String phase = status.path("phase").asString("");
    if (!List.of("Succeeded", "Failed", "Error").contains(phase)) {
      status.put("phase", "Succeeded");
    }
    if (!status.hasNonNull("finishedAt")) {
      status.put("finishedAt", "2026-11-27T12:00:00Z");
    }
    if (!status.hasNonNull("startedAt")) {
      status.put("startedAt", "2026-11-27T11:00:00Z");
    }
  }

  // ---- Argo's large workflows: compressed and offloaded nodes ------------------------------

  /**
   * A workflow whose nodes Argo compressed and one whose nodes Argo offloaded are stored with
   * {@code status.nodes} put back and neither field; one whose offload row is gone is not
   * written, not labelled, and quarantined as {@code nodes_unavailable} once retries run out.
   */
  @Test
  void archive_largeWorkflows_nodesAreRestoredBeforeWritingOrTheWorkflowIsQuarantined()
      throws Exception {
    ObjectNode nodes = TestWorkflows.JSON.createObjectNode();
    nodes.putObject("big-1").put("id", "big-1").put("phase", "Succeeded");
    nodes.putObject("big-2").put("id", "big-2").put("phase", "Succeeded")
        .putObject("outputs").putArray("artifacts").addObject().put("name", "result");
    String nodesJson = TestWorkflows.JSON.writeValueAsString(nodes);

    ObjectNode compressed = TestWorkflows.completed(ns, "compressed");
    compressed.withObjectProperty("status").put("compressedNodes", gzipBase64(nodesJson));
    ObjectNode offloaded = TestWorkflows.completed(ns, "offloaded");
    offloaded.withObjectProperty("status").put("offloadNodeStatusVersion", "fnv:42");
    ObjectNode rowGone = TestWorkflows.completed(ns, "row-gone");
    rowGone.withObjectProperty("status").put("offloadNodeStatusVersion", "fnv:7");
    String compressedUid = cluster.create(compressed);
    String offloadedUid = cluster.create(offloaded);
    String goneUid = cluster.create(rowGone);
    // Argo's controller writes the row under the workflow's uid (known only once created),
    // before the workflow completes; here before the controller starts.
    offloadRow(offloadedUid, "fnv:42", nodesJson);
    offloadRow(offloadedUid, "fnv:41", "{\"stale\": {}}");

    DefaultArchiveController c = start(config().withMaxRetries(3));

    awaitArchived("compressed");
    awaitArchived("offloaded");
    for (String uid : List.of(compressedUid, offloadedUid)) {
      ObjectNode stored = store.get(uid).orElseThrow();
      JsonNode status = stored.path("status");
      assertThat(sameJson(status.path("nodes"), nodes)).as("status.nodes of %s: %s", uid,
          status.path("nodes")).isTrue();
      assertThat(status.has("compressedNodes")).isFalse();
      assertThat(status.has("offloadNodeStatusVersion")).isFalse();
    }

    WorkflowKey gone = new WorkflowKey(ns, "row-gone");
    await().untilAsserted(() -> assertThat(c.quarantine().entry(gone)).isNotNull());
    assertThat(c.quarantine().entry(gone).lastError()).startsWith("nodes_unavailable: ")
        .contains(goneUid);
    assertThat(counter("archivist.archive.failures", "reason", "nodes_unavailable"))
        .isGreaterThanOrEqualTo(3.0);
    assertThat(rows(goneUid)).isZero();
    assertThat(cluster.archivingStatus(ns, "row-gone")).isNull();
    assertThat(store.quarantine().list()).anySatisfy(e -> {
      assertThat(e.uid()).isEqualTo(goneUid);
    });
  }

  /**
   * A workflow deleted before it could be archived (here its offload row is gone, so it keeps
   * failing) is counted in archivist_workflows_lost_total; one that was archived and then left
   * the informers because it was labelled is not.
   */
  @Test
  void archive_workflowDeletedBeforeItIsArchived_isCountedLost() throws Exception {
    start(config());
    ObjectNode stuck = TestWorkflows.completed(ns, "stuck");
    stuck.withObjectProperty("status").put("offloadNodeStatusVersion", "fnv:1");
    String stuckUid = cluster.create(stuck);
    cluster.create(TestWorkflows.completed(ns, "kept"));
    awaitArchived("kept");
    await().until(() -> counter("archivist.archive.failures", "reason", "nodes_unavailable")
        >= 1.0);
    assertThat(counter("archivist.workflows.lost")).isZero();

    cluster.delete(ns, "stuck");
    cluster.delete(ns, "kept");

    await().until(() -> counter("archivist.workflows.lost") >= 1.0);
    assertThat(counter("archivist.workflows.lost")).isEqualTo(1.0);
    assertThat(rows(stuckUid)).isZero();
  }

  private void offloadRow(String uid, String version, String nodesJson) throws Exception {
    db.update("INSERT INTO argo_workflows (clustername, uid, version, namespace, nodes)"
        + " VALUES (?, ?, ?, ?, CAST(? AS json))", clusterName, uid, version, ns, nodesJson);
  }

  /** As Argo's controller writes {@code compressedNodes} by default: base64 of gzip. */
  private static String gzipBase64(String json) throws java.io.IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(bytes)) {
      gz.write(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return java.util.Base64.getEncoder().encodeToString(bytes.toByteArray());
  }

  private static JsonNode withoutVolatileFields(ObjectNode wf) {
    ObjectNode copy = wf.deepCopy();
    ObjectNode meta = (ObjectNode) copy.get("metadata");
    meta.remove(List.of("resourceVersion", "generation", "managedFields"));
    ((ObjectNode) meta.get("labels")).remove(WorkflowLabels.ARCHIVING_STATUS);
    // The marking PATCH also records when (for --delete-after); the stored copy predates it.
    if (meta.get("annotations") instanceof ObjectNode annotations) {
      annotations.remove(LifecycleApi.ARCHIVED_AT_ANNOTATION);
      if (annotations.isEmpty()) {
        meta.remove("annotations");
      }
    }
    return copy;
  }

  /** Equal as JSON: numbers compare by value (1 equals 1.0), objects ignore key order. */
  private static boolean sameJson(JsonNode a, JsonNode b) {
    Comparator<JsonNode> numeric = (x, y) -> {
      if (x.equals(y)) {
        return 0;
      }
      if (x.isNumber() && y.isNumber()) {
        return x.decimalValue().compareTo(y.decimalValue());
      }
      return 1;
    };
    return a.equals(numeric, b);
  }
}
