package dev.archivist.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.archivist.controller.kube.ForwardingWorkflowApi;
import dev.archivist.controller.kube.WorkflowApi;
import dev.archivist.controller.kube.WorkflowApiException;
import dev.archivist.core.WorkflowKey;
import dev.archivist.core.WorkflowLabels;
import dev.archivist.store.ArchiveStore;
import dev.archivist.store.StoreConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * The controller's core path, end to end: an API server on loopback (fabric8's CRUD mock, or the
 * real one for a subclass that calls {@link #useRealServer}), the real queue, and a real database
 * (each subclass brings one). Every test gets its own namespace and its own {@code clustername},
 * so rows of different tests never meet.
 */
abstract class ArchiveControllerContract extends ControllerTestBed {
  PrometheusMeterRegistry registry;
  /** Every worker thread the controllers of this test made. */
  final List<Thread> workerThreads = new java.util.concurrent.CopyOnWriteArrayList<>();

  @BeforeEach
  void setUpRegistry() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  @Override
  ArchiveStore openStore(String jdbcUrl) {
    StoreConfig base = StoreConfig.of(jdbcUrl, null, null).withScope(clusterName, "");
    // Fail fast while a test has the database cut off.
    return ArchiveStore.open(new StoreConfig(base.jdbcUrl(), null, null, clusterName, "", 4,
        Duration.ofMillis(1500), Duration.ofSeconds(30)));
  }

  ControllerConfig config() {
    return ControllerConfig.defaults()
        .withNamespaces(List.of(ns))
        .withClusterName(clusterName)
        .withWorkers(2)
        .withBatchSize(10)
        .withRetryDelays(Duration.ofMillis(10), Duration.ofMillis(200))
        .withShutdownTimeout(Duration.ofSeconds(20));
  }

  DefaultArchiveController start(ControllerConfig config) {
    return start(config, store, UnaryOperator.identity());
  }

  DefaultArchiveController start(ControllerConfig config, ArchiveStore store,
      UnaryOperator<WorkflowApi> decorate) {
    DefaultArchiveController c = ControllerAssembly.of(cluster.client(), store, config)
        .metrics(registry)
        .clock(Clock.systemUTC())
        .decorateApi(decorate)
        .workerThreads(task -> {
          Thread t = new Thread(task, "test-archive-worker-" + workerThreads.size());
          t.setDaemon(true);
          workerThreads.add(t);
          return t;
        })
        .buildArchive();
    toClose.add(c);
    c.start();
    await().until(c::isSynced);
    return c;
  }

  long allRows() throws SQLException {
    return db.column(Long.class,
        "SELECT count(*) FROM argo_archived_workflows WHERE clustername = ?", clusterName).get(0);
  }

  double counter(String name, String... tags) {
    var search = registry.find(name);
    if (tags.length > 0) {
      search = search.tags(tags);
    }
    var c = search.counter();
    return c == null ? -1 : c.count();
  }

  // ---- the core path --------------------------------------------------------------------------

  @Test
  void archive_completedWorkflowIsArchivedThenLabelled() throws Exception {
    start(config());
    String uid = cluster.create(TestWorkflows.completed(ns, "done"));

    awaitArchived("done");

    assertThat(rows(uid)).isEqualTo(1);
    ObjectNode stored = store.get(uid).orElseThrow();
    assertThat(stored.path("metadata").path("name").asString()).isEqualTo("done");
    assertThat(stored.path("metadata").path("labels").path(WorkflowLabels.ARCHIVING_STATUS)
        .asString()).isEqualTo("Persisted");
    // Counted once the label PATCH returns: the count may trail the label.
    await().until(() -> counter("archivist.workflows.archived") >= 1.0);
    assertThat(counter("archivist.workflows.archived")).isEqualTo(1.0);
  }

  @Test
  void archive_runningWorkflowIsIgnoredUntilItCompletes() throws Exception {
    DefaultArchiveController c = start(config());
    String runningUid = cluster.create(TestWorkflows.running(ns, "busy"));
    cluster.create(TestWorkflows.completed(ns, "marker"));

    awaitArchived("marker");
    assertThat(cluster.archivingStatus(ns, "busy")).isNull();
    assertThat(rows(runningUid)).isZero();
    assertThat(c.stats().skipped()).as("the running one never reached a worker").isZero();

    cluster.label(ns, "busy", Map.of(WorkflowLabels.COMPLETED, "true"));
    awaitArchived("busy");
    assertThat(rows(runningUid)).isEqualTo(1);
  }

  /**
   * The API server answers 503 to the label PATCH after the commit: an outage, not the
   * workflow's fault. Only the PATCH is sent again: no second read, no second write.
   */
  @Test
  void archive_patchFailsAfterCommit_retriesOnlyThePatch() throws Exception {
    AtomicInteger patches = new AtomicInteger();
    AtomicInteger gets = new AtomicInteger();
    DefaultArchiveController c = start(config(), store, api -> new ForwardingWorkflowApi(api) {
      @Override
      public java.util.Optional<tools.jackson.databind.JsonNode> get(WorkflowKey key) {
        gets.incrementAndGet();
        return api.get(key);
      }

      @Override
      public MarkResult markArchived(WorkflowKey key, WorkflowApi.Marking marking) {
        if (patches.getAndIncrement() == 0) {
          throw new WorkflowApiException("PATCH", key, 503, 0,
              new RuntimeException("injected: the process died after the commit"));
        }
        return api.markArchived(key, marking);
      }

      @Override
      public WorkflowApi.Page list(String namespace, String selector, int limit,
          String continueToken) {
        gets.incrementAndGet(); // the read, on a real API server
        return api.list(namespace, selector, limit, continueToken);
      }
    });
    String uid = cluster.create(TestWorkflows.completed(ns, "twice"));

    awaitArchived("twice");

    assertThat(patches.get()).isEqualTo(2);
    assertThat(gets.get()).as("reads of the workflow").isEqualTo(1);
    assertThat(rows(uid)).isEqualTo(1);
    assertThat(c.stats().failures()).isEqualTo(1);
    assertThat(counter("archivist.archive.failures", "reason", "kube_unavailable"))
        .isEqualTo(1.0);
    assertThat(counter("archivist.kube.errors", "code", "503")).isEqualTo(1.0);
    assertThat(c.quarantine().size()).isZero();
    // The worker forgets the key's failures after its PATCH, which the label may show first.
    await().until(() -> c.queue().numRequeues(new WorkflowKey(ns, "twice")) == 0);
  }

  @Test
  void archive_nameRecreatedWithNewUid_archivesTheNewWorkflowAsANewRow() throws Exception {
    start(config());
    ObjectNode first = TestWorkflows.completed(ns, "again");
    first.withObjectProperty("spec").put("generationMarker", "first");
    String uid1 = cluster.create(first);
    awaitArchived("again");

    cluster.delete(ns, "again");
    await().until(() -> cluster.get(ns, "again").isEmpty());
    ObjectNode second = TestWorkflows.completed(ns, "again");
    second.withObjectProperty("spec").put("generationMarker", "second");
    String uid2 = cluster.create(second);
    awaitArchived("again");

    assertThat(uid2).isNotEqualTo(uid1);
    assertThat(rows(uid1)).isEqualTo(1);
    assertThat(rows(uid2)).isEqualTo(1);
    assertThat(store.get(uid1).orElseThrow().path("spec").path("generationMarker").asString())
        .isEqualTo("first");
    assertThat(store.get(uid2).orElseThrow().path("spec").path("generationMarker").asString())
        .isEqualTo("second");
  }

  @Test
  void archive_largeWorkflowAndNulBytes_areArchived() throws Exception {
    start(config());
    ObjectNode big = TestWorkflows.completed(ns, "big");
    String chunk = "x".repeat(1024);
    ObjectNode nodes = big.withObjectProperty("status").putObject("nodes");
    // About 1.25 MB: past Argo's 1 MiB limit, under what etcd accepts in one request (1.5 MiB by
    // default; the API server refuses larger objects with 413 or 500).
    int nodeCount = 1200;
    for (int i = 0; i < nodeCount; i++) {
      nodes.putObject("big-" + i).put("message", chunk);
    }
    ObjectNode nul = TestWorkflows.completed(ns, "nul");
    nul.withObjectProperty("status").put("message", "before\u0000after");
    String bigUid = cluster.create(big);
    String nulUid = cluster.create(nul);

    awaitArchived("big");
    awaitArchived("nul");

    assertThat(rows(bigUid)).isEqualTo(1);
    assertThat(rows(nulUid)).isEqualTo(1);
    assertThat(store.get(bigUid).orElseThrow().path("status").path("nodes").size())
        .isEqualTo(nodeCount);
    assertThat(store.get(nulUid).orElseThrow().path("status").path("message").asString())
        .startsWith("before").endsWith("after");
  }
}
