package dev.archivist.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.controller.archive.Quarantine;
import dev.archivist.controller.finalizer.FinalizerRelease;
import dev.archivist.controller.kube.FinalizerApi;
import dev.archivist.controller.kube.Workflows;
import dev.archivist.core.LabelSelector;
import dev.archivist.core.WorkflowKey;
import dev.archivist.core.WorkflowLabels;
import dev.archivist.store.ArchiveStore;
import dev.archivist.store.StoreConfig;
import dev.archivist.testing.TcpProxy;
import dev.archivist.testing.TestDatabase;
import dev.archivist.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code --finalizer} on the real API server (only a real server enforces finalizers, JSON Patch
 * tests and deletionTimestamp), against a database that each subclass brings, reached through a
 * {@link TcpProxy} so that a test can cut it off.
 */
abstract class FinalizerContract {
  private static final AtomicInteger SEQ = new AtomicInteger();

  private TestDatabase db;
  private TestNamespace namespace;
  private String ns;
  private String clusterName;
  private TcpProxy proxy;
  private ArchiveStore store;
  private PrometheusMeterRegistry registry;
  private KubernetesClient controllerClient;
  /** Successful finalizer PATCHes by workflow name. */
  private final Map<String, AtomicInteger> added = new ConcurrentHashMap<>();
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeAll
  static void migrate(TestDatabase db) {
    try (ArchiveStore s = ArchiveStore.open(StoreConfig.of(db.jdbcUrl(), null, null))) {
      s.migrate();
    }
  }

  @BeforeEach
  void setUp(TestDatabase db, TestNamespace namespace) throws Exception {
    this.db = db;
    this.namespace = namespace;
    this.ns = namespace.name();
    clusterName = "fin-" + SEQ.incrementAndGet() + "-" + System.nanoTime() % 100_000;
    proxy = TcpProxy.inFrontOf(db.jdbcUrl());
    StoreConfig base = StoreConfig.of(proxy.route(db.jdbcUrl()),
        null, null).withScope(clusterName, "");
    // Fail fast while a test has the database cut off.
    store = ArchiveStore.open(new StoreConfig(base.jdbcUrl(), null, null, clusterName, "", 4,
        Duration.ofMillis(1500), Duration.ofSeconds(30)));
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    controllerClient = namespace.cluster().newAdminClient();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    store.close();
    proxy.close();
    controllerClient.close();
  }

  private DefaultArchiveController start(boolean finalizer, LabelSelector selector) {
    ControllerConfig config = ControllerConfig.defaults()
        .withNamespaces(List.of(ns))
        .withClusterName(clusterName)
        .withArchiveSelector(selector)
        .withWorkers(2)
        .withBatchSize(10)
        .withMaxRetries(2)
        .withRetryDelays(Duration.ofMillis(10), Duration.ofMillis(200))
        .withShutdownTimeout(Duration.ofSeconds(20));
    DefaultArchiveController c = ControllerAssembly.of(controllerClient, store, config)
        .lifecycle(LifecycleConfig.defaults().withFinalizer(finalizer))
        .metrics(registry)
        .clock(Clock.systemUTC())
        .decorateFinalizerApi(api -> new FinalizerApi() {
          @Override
          public Result add(WorkflowKey key, String uid, String rv, List<String> finalizers) {
            Result r = api.add(key, uid, rv, finalizers);
            if (r == Result.DONE) {
              added.computeIfAbsent(key.name(), k -> new AtomicInteger()).incrementAndGet();
            }
            return r;
          }

          @Override
          public Result remove(WorkflowKey key, String uid, List<String> finalizers) {
            return api.remove(key, uid, finalizers);
          }
        })
        .buildArchive();
    toClose.add(c);
    c.start();
    await().until(c::isSynced);
    return c;
  }

  // ---- the tests ------------------------------------------------------------------------------

  /**
   * Every workflow in scope gets the finalizer at most once, running or not (a completed one may
   * be archived first); a completed one loses it in the PATCH that labels it Archived, or right
   * after when the add came between; a running one that is deleted is archived as it was at its
   * deletion, with its deletionTimestamp, and then released.
   */
  @Test
  void finalizer_runningWorkflowDeleted_isArchivedAsItWasThenReleased() throws Exception {
    start(true, LabelSelector.parse("team!=other"));
    String busyUid = create(TestWorkflows.running(ns, "busy"));
    ObjectNode notOurs = TestWorkflows.running(ns, "not-ours");
    TestWorkflows.labels(notOurs).put("team", "other");
    create(notOurs);
    ObjectNode withOthers = TestWorkflows.running(ns, "shared");
    ((ObjectNode) withOthers.get("metadata")).putArray("finalizers").add("example.com/keep");
    create(withOthers);
    String doneUid = create(TestWorkflows.completed(ns, "done"));

    await().untilAsserted(() -> {
      assertThat(finalizers("busy")).containsExactly(FinalizerApi.FINALIZER);
      assertThat(finalizers("shared")).containsExactly("example.com/keep",
          FinalizerApi.FINALIZER);
    });
    // Usually released in the PATCH that labels it Archived; when the adder appended the
    // finalizer after the worker's read, the mark's answer shows it and a second PATCH releases
    // it, so the label can be seen a moment before the finalizer is gone.
    await().untilAsserted(() -> {
      assertThat(label("done", WorkflowLabels.ARCHIVING_STATUS))
          .isEqualTo(WorkflowLabels.STATUS_ARCHIVED);
      assertThat(finalizers("done")).as("released once Archived").isEmpty();
    });
    assertThat(rows(doneUid)).isEqualTo(1);
    assertThat(finalizers("not-ours")).as("not selected: never held").isEmpty();

    delete("busy");

    await().until(() -> get("busy") == null);
    assertThat(rows(busyUid)).isEqualTo(1);
    JsonNode stored = store.get(busyUid).orElseThrow();
    assertThat(stored.path("metadata").path("deletionTimestamp").asString("")).isNotEmpty();
    assertThat(stored.path("status").path("phase").asString()).isEqualTo("Running");
    // "done" may be archived before the adder reaches it: then it gets no finalizer (the add's
    // test fails, and an Archived workflow is not queued again) or one that is taken off in the
    // same call (the add's answer shows the label). Never more than one add.
    assertThat(added).as("one PATCH per workflow").containsKeys("busy", "shared")
        .allSatisfy((name, n) -> assertThat(n.get()).as(name).isEqualTo(1));
    assertThat(added.keySet()).isSubsetOf("busy", "shared", "done");
    assertThat(finalizers("shared")).as("others' finalizers untouched")
        .containsExactly("example.com/keep", FinalizerApi.FINALIZER);

    String sharedUid = get("shared").path("metadata").path("uid").asString();
    delete("shared");
    await().untilAsserted(() -> assertThat(finalizers("shared")).as("ours removed, only ours")
        .containsExactly("example.com/keep"));
    assertThat(rows(sharedUid)).isEqualTo(1);
    assertThat(counter("archivist.workflows.lost")).isZero();
  }

  /**
   * Argo's TTL deletes a completed workflow while the database is down: the finalizer holds it
   * until the database is back, then it is archived as it was and released. Nothing is lost.
   */
  @Test
  void finalizer_completedWorkflowDeletedWhileTheDatabaseIsDown_isArchivedWhenItReturns()
      throws Exception {
    DefaultArchiveController c = start(true, LabelSelector.everything());
    proxy.cutOff();
    String uid = create(TestWorkflows.completed(ns, "ttl"));
    await().until(() -> finalizers("ttl").contains(FinalizerApi.FINALIZER)
        && c.databaseGate().isDown());

    delete("ttl");
    await().until(() -> get("ttl") != null
        && !get("ttl").path("metadata").path("deletionTimestamp").asString("").isEmpty());
    proxy.restore();

    await().until(() -> get("ttl") == null);
    assertThat(rows(uid)).isEqualTo(1);
    assertThat(store.get(uid).orElseThrow().path("metadata").path("deletionTimestamp")
        .asString("")).isNotEmpty();
    assertThat(counter("archivist.workflows.lost")).isZero();
  }

  /** The same deletion without the finalizer: the workflow is gone for good, and counted. */
  @Test
  void withoutFinalizer_completedWorkflowDeletedWhileTheDatabaseIsDown_isCountedLost()
      throws Exception {
    DefaultArchiveController c = start(false, LabelSelector.everything());
    proxy.cutOff();
    String uid = create(TestWorkflows.completed(ns, "ttl"));
    await().until(() -> c.databaseGate().isDown());
    assertThat(finalizers("ttl")).isEmpty();

    delete("ttl");
    await().until(() -> get("ttl") == null);
    proxy.restore();

    await().until(() -> counter("archivist.workflows.lost") >= 1.0);
    assertThat(counter("archivist.workflows.lost")).isEqualTo(1.0);
    assertThat(rows(uid)).isZero();
  }

  /**
   * A workflow that cannot be archived (its offloaded nodes are gone) is quarantined; deleted,
   * it is not held forever: its quarantine row records it, then it is released and counted lost.
   */
  @Test
  void finalizer_quarantinedWorkflowDeleted_isRecordedThenReleased() throws Exception {
    DefaultArchiveController c = start(true, LabelSelector.everything());
    ObjectNode poison = TestWorkflows.completed(ns, "poison");
    poison.withObjectProperty("status").put("offloadNodeStatusVersion", "fnv:1");
    String uid = create(poison);
    WorkflowKey key = new WorkflowKey(ns, "poison");
    await().until(() -> c.quarantine().entry(key) != null
        && finalizers("poison").contains(FinalizerApi.FINALIZER));

    delete("poison");

    await().until(() -> get("poison") == null);
    assertThat(rows(uid)).isZero();
    assertThat(store.quarantine().list()).anySatisfy(e -> {
      assertThat(e.uid()).isEqualTo(uid);
      assertThat(e.lastError()).startsWith(Quarantine.RELEASED_AT_DELETION);
    });
    assertThat(c.quarantine().size()).isZero();
    await().until(() -> counter("archivist.workflows.lost") >= 1.0);
    assertThat(counter("archivist.workflows.lost")).isEqualTo(1.0);
  }

  /**
   * Before an uninstall: {@code release-finalizers} leaves no workflow of the instance with our
   * finalizer, keeps everyone else's, and a dry run changes nothing.
   */
  @Test
  void releaseFinalizers_leavesNoWorkflowHeld() throws Exception {
    DefaultArchiveController c = start(true, LabelSelector.everything());
    for (int i = 0; i < 3; i++) {
      create(TestWorkflows.running(ns, "run-" + i));
    }
    ObjectNode withOthers = TestWorkflows.running(ns, "shared");
    ((ObjectNode) withOthers.get("metadata")).putArray("finalizers").add("example.com/keep");
    create(withOthers);
    await().untilAsserted(() -> {
      for (String name : List.of("run-0", "run-1", "run-2", "shared")) {
        assertThat(finalizers(name)).as(name).contains(FinalizerApi.FINALIZER);
      }
    });
    c.close();
    FinalizerRelease release = new FinalizerRelease(namespace.admin(), Clock.systemUTC());
    List<String> lines = new ArrayList<>();

    FinalizerRelease.Summary dry = release.run(List.of(ns), "", true, lines::add);
    assertThat(dry).isEqualTo(new FinalizerRelease.Summary(4, 4, 0, 0));
    assertThat(finalizers("run-0")).contains(FinalizerApi.FINALIZER);

    FinalizerRelease.Summary done = release.run(List.of(ns), "", false, lines::add);

    assertThat(done).isEqualTo(new FinalizerRelease.Summary(4, 4, 4, 0));
    for (String name : List.of("run-0", "run-1", "run-2")) {
      assertThat(finalizers(name)).as(name).isEmpty();
    }
    assertThat(finalizers("shared")).containsExactly("example.com/keep");
    assertThat(lines).last().asString().contains("4 released");
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static ConditionFactory await() {
    return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50));
  }

  private String create(ObjectNode workflow) {
    GenericKubernetesResource r = namespace.admin().getKubernetesSerialization()
        .convertValue(workflow, GenericKubernetesResource.class);
    return Workflows.operation(namespace.admin()).inNamespace(ns).resource(r).create()
        .getMetadata().getUid();
  }

  private void delete(String name) {
    Workflows.operation(namespace.admin()).inNamespace(ns).withName(name).delete();
  }

  private JsonNode get(String name) {
    GenericKubernetesResource r = Workflows.operation(namespace.admin()).inNamespace(ns)
        .withName(name).get();
    return r == null ? null
        : namespace.admin().getKubernetesSerialization().convertValue(r, JsonNode.class);
  }

  private List<String> finalizers(String name) {
    JsonNode wf = get(name);
    List<String> out = new ArrayList<>();
    if (wf != null) {
      wf.path("metadata").path("finalizers").forEach(f -> out.add(f.asString()));
    }
    return out;
  }

  private String label(String name, String label) {
    JsonNode wf = get(name);
    return wf == null ? null : Workflows.labels(wf).get(label);
  }

  private long rows(String uid) throws Exception {
    return db.column(Long.class, "SELECT count(*) FROM argo_archived_workflows"
        + " WHERE clustername = ? AND uid = ?", clusterName, uid).get(0);
  }

  private double counter(String name) {
    var c = registry.find(name).counter();
    return c == null ? -1 : c.count();
  }
}
