package dev.archivist.controller.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.archivist.controller.RealWorkflows;
import dev.archivist.controller.TestWorkflows;
import dev.archivist.controller.kube.ForwardingWorkflowApi;
import dev.archivist.controller.kube.LifecycleApi;
import dev.archivist.controller.kube.WorkflowApi;
import dev.archivist.controller.kube.Workflows;
import dev.archivist.controller.metrics.LifecycleMetrics;
import dev.archivist.core.LabelSelector;
import dev.archivist.core.WorkflowKey;
import dev.archivist.core.WorkflowLabels;
import dev.archivist.store.ArchiveStore;
import dev.archivist.store.StoreConfig;
import dev.archivist.store.WorkflowDocuments;
import dev.archivist.testing.KubeExtension;
import dev.archivist.testing.PostgresExtension;
import dev.archivist.testing.TestDatabase;
import dev.archivist.testing.TestNamespace;
import dev.archivist.workqueue.WorkQueues;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code --delete-after} on a real API server, where a finalizer (Argo's artifact GC) keeps a
 * deleted workflow around with a deletionTimestamp and every DELETE of it succeeds again.
 */
@ExtendWith({PostgresExtension.class, KubeExtension.class})
class ArchivedReaperRealServerTest {

  @Test
  void reap_workflowHeldByAFinalizer_isDeletedAndCountedOnce(TestNamespace ns, TestDatabase db) {
    ObjectNode wf = TestWorkflows.completed(ns.name(), "held");
    TestWorkflows.labels(wf).put(WorkflowLabels.ARCHIVING_STATUS, WorkflowLabels.STATUS_ARCHIVED);
    ((ObjectNode) wf.get("metadata")).putObject("annotations")
        .put(LifecycleApi.ARCHIVED_AT_ANNOTATION, "2026-01-01T00:00:00Z");
    ((ObjectNode) wf.get("metadata")).putArray("finalizers").add("example.com/hold");
    String uid = RealWorkflows.create(ns, wf);
    WorkflowKey key = new WorkflowKey(ns.name(), "held");
    String clusterName = "reap-" + Integer.toHexString(ns.name().hashCode());
    try (ArchiveStore store = ArchiveStore.open(StoreConfig.of(db.jdbcUrl(), null, null)
        .withScope(clusterName, ""))) {
      store.migrate();
      ((ObjectNode) wf.get("metadata")).put("uid", uid);
      store.archive(List.of(WorkflowDocuments.fromWorkflow(wf, Instant.now())));
      LifecycleMetrics metrics = LifecycleMetrics.local();
      ArchivedReaper reaper = new ArchivedReaper(ns.admin(), List.of(ns.name()), "",
          LabelSelector.everything(),
          WorkQueues.<WorkflowKey>builder().name("delete").buildRateLimiting(),
          WorkflowApi.fabric8(ns.admin(), Clock.systemUTC()),
          LifecycleApi.fabric8(ns.admin(), Clock.systemUTC()), store, Duration.ofSeconds(1),
          Clock.systemUTC(), () -> true, metrics, Thread::new);

      ArchivedReaper.Reaped first = reaper.reap(key);
      ArchivedReaper.Reaped second = reaper.reap(key);

      assertThat(first).isInstanceOf(ArchivedReaper.Reaped.Deleted.class);
      assertThat(second).as("the workflow is already being deleted")
          .isInstanceOf(ArchivedReaper.Reaped.Done.class);
      assertThat(Workflows.operation(ns.admin()).inNamespace(ns.name()).withName("held").get()
          .getMetadata().getDeletionTimestamp()).as("held by its finalizer").isNotNull();
    }
  }

  /**
   * Deletes only what the archive selects: the same instance ID and --archive-label-selector as
   * the archive informer, on the server's side (what another archive owns never reaches the
   * reaper) and again on the object it reads before deleting. With --delete-after 0 it deletes
   * as soon as it sees the workflow.
   */
  @Test
  void reaper_deletesOnlyWhatTheArchiveSelects(TestNamespace ns, TestDatabase db)
      throws Exception {
    String instance = "inst-" + Integer.toHexString(ns.name().hashCode());
    String clusterName = "sel-" + Integer.toHexString(ns.name().hashCode());
    try (ArchiveStore store = ArchiveStore.open(StoreConfig.of(db.jdbcUrl(), null, null)
        .withScope(clusterName, instance))) {
      store.migrate();
      // Created first and listed first: each would be reaped before the selected one, if seen.
      archived(ns, store, "a-other-team", instance, "b");
      archived(ns, store, "b-no-instance", null, "a");
      archived(ns, store, "c-other-instance", "someone-else", "a");
      archived(ns, store, "z-selected", instance, "a");
      LifecycleMetrics metrics = LifecycleMetrics.local();
      WorkflowApi real = WorkflowApi.fabric8(ns.admin(), Clock.systemUTC());
      List<String> gets = new java.util.concurrent.CopyOnWriteArrayList<>();
      WorkflowApi counting = new ForwardingWorkflowApi(real) {
        @Override
        public java.util.Optional<tools.jackson.databind.JsonNode> get(WorkflowKey key) {
          gets.add(key.name());
          return super.get(key);
        }
      };
      ArchivedReaper reaper = new ArchivedReaper(ns.admin(), List.of(ns.name()), instance,
          LabelSelector.parse("team=a"),
          WorkQueues.<WorkflowKey>builder().name("delete").buildRateLimiting(), counting,
          LifecycleApi.fabric8(ns.admin(), Clock.systemUTC()), store, Duration.ZERO,
          Clock.systemUTC(), () -> true, metrics, Thread::new);
      try {
        reaper.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> Workflows.operation(ns.admin())
            .inNamespace(ns.name()).withName("z-selected").get() == null);

        assertThat(metrics.deletedCount()).isEqualTo(1);
        assertThat(gets).as("the informers' version is deleted without a GET").isEmpty();
        for (String name : List.of("a-other-team", "b-no-instance", "c-other-instance")) {
          assertThat(Workflows.operation(ns.admin()).inNamespace(ns.name()).withName(name).get())
              .as(name).isNotNull();
          // Read directly, as a key that reached the reaper: still not deleted.
          assertThat(reaper.reap(new WorkflowKey(ns.name(), name))).as(name)
              .isInstanceOf(ArchivedReaper.Reaped.Done.class);
        }
        assertThat(Workflows.operation(ns.admin()).inNamespace(ns.name()).list().getItems())
            .hasSize(3);
      } finally {
        reaper.close();
      }
    }
  }

  /** A workflow labelled Archived (and archived) with the team and instance labels given. */
  private static void archived(TestNamespace ns, ArchiveStore store, String name,
      String instance, String team) {
    ObjectNode wf = TestWorkflows.completed(ns.name(), name);
    TestWorkflows.labels(wf).put(WorkflowLabels.ARCHIVING_STATUS, WorkflowLabels.STATUS_ARCHIVED)
        .put("team", team);
    if (instance != null) {
      TestWorkflows.labels(wf).put(WorkflowLabels.CONTROLLER_INSTANCE_ID, instance);
    }
    ((ObjectNode) wf.get("metadata")).putObject("annotations")
        .put(LifecycleApi.ARCHIVED_AT_ANNOTATION, "2026-01-01T00:00:00Z");
    String uid = RealWorkflows.create(ns, wf);
    ((ObjectNode) wf.get("metadata")).put("uid", uid);
    store.archive(List.of(WorkflowDocuments.fromWorkflow(wf, Instant.now())));
  }

  @Test
  void apply_abandonedWhileTheFenceIsClosed_keepsTheKey(TestNamespace ns, TestDatabase db)
      throws Exception {
    try (ArchiveStore store = ArchiveStore.open(StoreConfig.of(db.jdbcUrl(), null, null))) {
      var queue = WorkQueues.<WorkflowKey>builder().name("delete")
          .rateLimiter(dev.archivist.workqueue.RateLimiters.exponentialFailure(
              Duration.ofMillis(1), Duration.ofMillis(1)))
          .buildRateLimiting();
      ArchivedReaper reaper = new ArchivedReaper(ns.admin(), List.of(ns.name()), "",
          LabelSelector.everything(), queue, WorkflowApi.fabric8(ns.admin(), Clock.systemUTC()),
          LifecycleApi.fabric8(ns.admin(), Clock.systemUTC()), store, Duration.ofSeconds(1),
          Clock.systemUTC(), () -> false, LifecycleMetrics.local(), Thread::new);
      WorkflowKey key = new WorkflowKey(ns.name(), "late-renewal");
      queue.add(key);
      WorkflowKey taken = queue.get();

      ArchivedReaper.Reaped outcome = reaper.reap(taken);
      reaper.apply(taken, outcome);
      queue.done(taken);

      assertThat(outcome).isInstanceOf(ArchivedReaper.Reaped.Abandoned.class);
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(queue.len()).as("the key comes back").isEqualTo(1));
      queue.shutDown();
    }
  }
}
