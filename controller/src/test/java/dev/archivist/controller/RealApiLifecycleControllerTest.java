package dev.archivist.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.controller.kube.ForwardingLifecycleApi;
import dev.archivist.controller.kube.LifecycleApi;
import dev.archivist.core.WorkflowKey;
import dev.archivist.testing.KubeExtension;
import dev.archivist.testing.TestNamespace;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The lifecycle's tests on the real API server (etcd, RBAC, real preconditions) instead of the
 * mock, plus what only the real server can show: a DELETE whose uid precondition fails.
 */
@ExtendWith(KubeExtension.class)
class RealApiLifecycleControllerTest extends LifecycleControllerTest {

  @BeforeEach
  void onTheRealServer(TestNamespace namespace) {
    useRealServer(namespace);
  }

  /**
   * The reaper read the archived workflow, and before its DELETE lands the name is deleted and
   * created again (a new uid, still running): the DELETE carries the old uid, the real server
   * refuses it (409), and the new workflow lives on. The mock ignores preconditions, so this
   * runs only here.
   */
  @Test
  void deleteAfter_recreatedBetweenGetAndDelete_theNewWorkflowIsNotDeleted() throws Exception {
    AtomicReference<String> newUid = new AtomicReference<>();
    List<LifecycleApi.DeleteResult> results = new CopyOnWriteArrayList<>();
    lifecycleApiDecorator = api -> new ForwardingLifecycleApi(api) {
      @Override
      public DeleteResult delete(WorkflowKey key, String uid, String resourceVersion) {
        if (key.name().equals("reused") && newUid.get() == null) {
          cluster.delete(ns, "reused");
          await().until(() -> cluster.get(ns, "reused").isEmpty());
          newUid.set(cluster.create(TestWorkflows.running(ns, "reused")));
        }
        DeleteResult r = api.delete(key, uid, resourceVersion);
        results.add(r);
        return r;
      }
    };
    start(dev.archivist.controller.LifecycleConfig.defaults()
        .withDeleteAfter(Duration.ofMillis(300)), registry(), Clock.systemUTC(), w -> w);
    String oldUid = cluster.create(TestWorkflows.completed(ns, "reused"));

    await().until(() -> !results.isEmpty());

    assertThat(results).containsExactly(LifecycleApi.DeleteResult.CHANGED);
    assertThat(cluster.get(ns, "reused")).as("the re-created workflow").isPresent().get()
        .extracting(w -> w.path("metadata").path("uid").asString()).isEqualTo(newUid.get());
    assertThat(newUid.get()).isNotEqualTo(oldUid);
    assertThat(rows(oldUid)).as("the old one stays archived, once").isEqualTo(1);
    assertThat(rows(newUid.get())).as("the running one is not archived").isZero();
  }
}
