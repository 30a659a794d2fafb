package dev.archivist.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.controller.kube.Workflows;
import dev.archivist.core.WorkflowLabels;
import dev.archivist.store.ArchiveStore;
import dev.archivist.store.BatchResult;
import dev.archivist.store.StoreConfig;
import dev.archivist.testing.KubeExtension;
import dev.archivist.testing.PostgresExtension;
import dev.archivist.testing.TestDatabase;
import dev.archivist.testing.TestNamespace;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.node.ObjectNode;

/**
 * Two writers that overlap, as a leader whose lease ran out does with the next one: the old
 * leader read a workflow and passed its write fence, then stalled (a long GC pause, a slow
 * network) before its batch reached the database. Meanwhile the workflow was retried and
 * completed again, and the new leader archived that later completion. The old leader's late
 * write must not put the first completion back.
 */
@ExtendWith({PostgresExtension.class, KubeExtension.class})
class StaleWriterRealServerTest {
  private static final String FIRST_FINISH = "2026-11-27T10:05:00Z";
  private static final String SECOND_FINISH = "2026-11-27T11:05:00Z";

  @Test
  void archive_staleLeadersLateWrite_doesNotReplaceTheNewerCompletion(TestNamespace ns,
      TestDatabase db) throws Exception {
    ObjectNode wf = RealWorkflows.completed(ns, "retried", 0);
    ((ObjectNode) wf.get("status")).put("finishedAt", FIRST_FINISH).put("message", "first run");
    String uid = RealWorkflows.create(ns, wf);
    ControllerConfig config = ControllerConfig.defaults().withNamespaces(List.of(ns.name()))
        .withWorkers(1).withShutdownTimeout(Duration.ofSeconds(5));

    try (ArchiveStore oldStore = ArchiveStore.open(StoreConfig.of(db.jdbcUrl(), null, null));
        ArchiveStore newStore = ArchiveStore.open(StoreConfig.of(db.jdbcUrl(), null, null))) {
      newStore.migrate();
      StalledWrites stalled = new StalledWrites(oldStore);
      try (DefaultArchiveController oldLeader = ControllerAssembly.of(ns.admin(),
          stalled.store(), config).buildArchive()) {
        oldLeader.start();
        assertThat(stalled.entered.await(60, TimeUnit.SECONDS))
            .as("the old leader reached its write").isTrue();

        // argo retry: the completed label goes, the workflow runs again and completes later.
        Workflows.operation(ns.admin()).inNamespace(ns.name()).withName("retried").edit(w -> {
          w.getMetadata().getLabels().remove(WorkflowLabels.COMPLETED);
          return w;
        });
        Workflows.operation(ns.admin()).inNamespace(ns.name()).withName("retried").edit(w -> {
          w.getMetadata().getLabels().put(WorkflowLabels.COMPLETED, "true");
          @SuppressWarnings("unchecked")
          java.util.Map<String, Object> status =
              (java.util.Map<String, Object>) w.getAdditionalProperties().get("status");
          status.put("finishedAt", SECOND_FINISH);
          status.put("message", "second run");
          return w;
        });

        try (DefaultArchiveController newLeader = ControllerAssembly.of(ns.admin(), newStore,
            config).buildArchive()) {
          newLeader.start();
          Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> WorkflowLabels
              .STATUS_ARCHIVED.equals(Workflows.operation(ns.admin()).inNamespace(ns.name())
                  .withName("retried").get().getMetadata().getLabels()
                  .get(WorkflowLabels.ARCHIVING_STATUS)));
        }
        assertThat(newStore.get(uid).orElseThrow().at("/status/message").stringValue())
            .isEqualTo("second run");

        stalled.release.countDown();
        BatchResult late = stalled.result.get(60, TimeUnit.SECONDS);

        assertThat(late.outcomes()).containsExactly(new BatchResult.Superseded(uid));
        ObjectNode stored = newStore.get(uid).orElseThrow();
        assertThat(stored.at("/status/message").stringValue()).isEqualTo("second run");
        assertThat(stored.at("/status/finishedAt").stringValue()).isEqualTo(SECOND_FINISH);
        assertThat(oldLeader.stats().archived()).as("the old leader archived nothing").isZero();
      }
    }
  }

  /**
   * The old leader's store: its first {@code archive} call waits for {@link #release} before it
   * reaches the database, and its result is kept.
   */
  private static final class StalledWrites {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final CompletableFuture<BatchResult> result = new CompletableFuture<>();
    private final ArchiveStore delegate;

    StalledWrites(ArchiveStore delegate) {
      this.delegate = delegate;
    }

    ArchiveStore store() {
      return (ArchiveStore) Proxy.newProxyInstance(ArchiveStore.class.getClassLoader(),
          new Class<?>[] {ArchiveStore.class}, (proxy, method, args) -> {
            boolean first = method.getName().equals("archive") && !result.isDone()
                && entered.getCount() == 1;
            if (first) {
              entered.countDown();
              release.await();
            }
            try {
              Object r = method.invoke(delegate, args);
              if (first) {
                result.complete((BatchResult) r);
              }
              return r;
            } catch (InvocationTargetException e) {
              if (first) {
                result.completeExceptionally(e.getCause());
              }
              throw e.getCause();
            }
          });
    }
  }
}
