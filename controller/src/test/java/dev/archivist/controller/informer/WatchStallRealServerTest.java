package dev.archivist.controller.informer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.archivist.controller.TestWorkflows;
import dev.archivist.controller.kube.Workflows;
import dev.archivist.core.WorkflowKey;
import dev.archivist.core.WorkflowLabels;
import dev.archivist.testing.KubeExtension;
import dev.archivist.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.node.ObjectNode;

/**
 * A watch that the real API server accepts and fails the same way on every attempt: the
 * informers list again instead of retrying it forever.
 *
 * <p>How the server is made to answer so (see {@code docs/reliability.md}): the informer's last
 * resourceVersion is R, the write at R + 1 is the deletion of a workflow its selector excludes,
 * the API server dies, etcd is compacted at R + 1, and the API server starts again. The watch
 * resumes from R; etcd accepts it (R + 1 is not compacted away) and its first event is that
 * deletion without the version before it, which the API server answers with {@code 500} inside
 * the watch, every time. fabric8 would resume from R forever; new workflows would never arrive.
 */
@ExtendWith(KubeExtension.class)
class WatchStallRealServerTest {
  private static final String SELECTED = "archivist.dev/stall-test";

  @Test
  void watchFailingTheSameWayOnEveryAttempt_informersListAgain_andMissNothingAfter(
      TestNamespace ns) throws Exception {
    Recorder seen = new Recorder();
    long stalledFrom;
    try (WorkflowInformers informers = WorkflowInformers.build(ns.admin(),
        List.of(ns.name()), SELECTED + "=yes", "stall test", "Workflows", seen)) {
      informers.start();
      await().atMost(Duration.ofMinutes(1)).until(informers::isSynced);

      long r = -1;
      for (int attempt = 0; attempt < 5 && r < 0; attempt++) {
        create(ns, "unseen-" + attempt, "no");
        String rv = create(ns, "seen-" + attempt, "yes");
        Workflows.operation(ns.admin()).inNamespace(ns.name()).withName("unseen-" + attempt)
            .delete();
        // Only if nothing else (a lease, say) was written between the two.
        if (ns.cluster().etcdRevision() == Long.parseLong(rv) + 1) {
          r = Long.parseLong(rv);
          String name = "seen-" + attempt;
          await().atMost(Duration.ofSeconds(30)).until(() ->
              rv.equals(informers.resourceVersion(new WorkflowKey(ns.name(), name))));
        }
      }
      assertThat(r).as("a deletion written right after the informer's last event").isPositive();
      stalledFrom = r;

      ns.cluster().killApiServer();
      ns.cluster().compactEtcd(r + 1);
      ns.cluster().startApiServer();

      create(ns, "after", "yes");
      await("a workflow created after the restart reaches the handler")
          .atMost(Duration.ofMinutes(2)).until(() -> seen.names.contains("after"));
      assertThat(informers.relists()).as("scopes listed again").isEqualTo(1);
      assertThat(informers.isSynced()).isTrue();
      assertThat(informers.resourceVersion(new WorkflowKey(ns.name(), "after"))).isNotNull();
    }

    String from = Long.toString(stalledFrom);
    long resumedFromR = ns.cluster().requests().stream()
        .filter(q -> q.namespace().equals(ns.name()) && q.verb().equals("watch")
            && q.resource().equals(WorkflowLabels.PLURAL)
            && from.equals(q.query().get("resourceVersion")))
        .count();
    assertThat(resumedFromR).as("watches resumed from %s, each accepted and ended by the server"
        + " (what makes this the stall, not a 410)", from)
        .isGreaterThanOrEqualTo(WatchStalls.REPEATS);
  }

  private static String create(TestNamespace ns, String name, String selected) {
    ObjectNode wf = TestWorkflows.completed(ns.name(), name);
    TestWorkflows.labels(wf).put(SELECTED, selected);
    GenericKubernetesResource r = ns.admin().getKubernetesSerialization()
        .convertValue(wf, GenericKubernetesResource.class);
    return Workflows.operation(ns.admin()).inNamespace(ns.name()).resource(r).create()
        .getMetadata().getResourceVersion();
  }

  /** Records the names informed. */
  private static final class Recorder extends LatestStateHandler {
    final Set<String> names = ConcurrentHashMap.newKeySet();

    @Override
    protected void onLatest(HasMetadata obj) {
      names.add(obj.getMetadata().getName());
    }

    @Override
    public void onDelete(HasMetadata obj, boolean deletedFinalStateUnknown) {
    }
  }
}
