package dev.archivist.controller.informer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.archivist.controller.MockCluster;
import dev.archivist.controller.TestWorkflows;
import dev.archivist.core.LabelSelector;
import dev.archivist.core.WorkflowLabels;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * fabric8's mock cannot send metadata only: the probe must see that and fall back. And what the
 * informers' own client is given, which needs no server.
 */
class InformerSourceMockTest {
  private static MockCluster cluster;

  @BeforeAll
  static void start() {
    cluster = new MockCluster();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void probe_serverWithoutMetadataLists_fallsBackToFullObjectsAndStillSelects() {
    String ns = "probe-mock";
    String selector = InformerSelector.render(
        InformerSelector.archiveCandidates("", LabelSelector.everything()));
    cluster.create(TestWorkflows.completed(ns, "mine"));
    ObjectNode other = TestWorkflows.completed(ns, "other-instance");
    TestWorkflows.labels(other).put(WorkflowLabels.CONTROLLER_INSTANCE_ID, "x");
    cluster.create(other);

    try (InformerSource source = InformerSource.probe(cluster.client(), List.of(ns), selector,
        http -> { })) {
      assertThat(source.mode()).isEqualTo(InformerSource.Mode.FULL_OBJECTS);
      Set<String> seen = ConcurrentHashMap.newKeySet();
      SharedIndexInformer<GenericKubernetesResource> informer = source.informer(ns, selector);
      informer.addEventHandler(new ResourceEventHandler<HasMetadata>() {
        @Override
        public void onAdd(HasMetadata obj) {
          seen.add(obj.getMetadata().getName());
        }

        @Override
        public void onUpdate(HasMetadata oldObj, HasMetadata newObj) {}

        @Override
        public void onDelete(HasMetadata obj, boolean deletedFinalStateUnknown) {}
      });
      informer.start();
      await().atMost(Duration.ofSeconds(10)).until(informer::hasSynced);
      assertThat(seen).containsExactly("mine");
      informer.stop();
    }
  }

  /**
   * With --leader-elect every write is bounded by the fence's few seconds; the informers only
   * read, and a first list on a slow API server must be able to finish.
   */
  @Test
  void metadataClient_readsAreNotBoundedByTheWritesShortTimeout() {
    for (int[] given : new int[][] {{5_000, 30_000}, {60_000, 60_000}, {0, 0}}) {
      Config config = new ConfigBuilder(Config.empty()).withMasterUrl("https://127.0.0.1:1")
          .withRequestTimeout(given[0]).build();
      try (KubernetesClient c = InformerSource.metadataClientBuilder(config, http -> { })
          .build()) {
        assertThat(c.getConfiguration().getRequestTimeout()).as("from %d ms", given[0])
            .isEqualTo(given[1]);
      }
    }
  }
}
