package dev.archivist.controller.informer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.core.WorkflowKey;
import dev.archivist.workqueue.WorkQueue;
import dev.archivist.workqueue.WorkQueues;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

class KeyEnqueuerTest {
  private final WorkQueue<WorkflowKey> queue = WorkQueues.<WorkflowKey>builder().build();
  private final KeyEnqueuer handler = new KeyEnqueuer(queue);

  private static GenericKubernetesResource workflow(String ns, String name) {
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(name).withUid("u").build());
    return r;
  }

  @Test
  void onAddAndOnUpdate_enqueueTheKeyOnce() throws Exception {
    handler.onAdd(workflow("ns", "a"));
    handler.onUpdate(workflow("ns", "a"), workflow("ns", "a"));

    assertThat(queue.len()).isEqualTo(1);
    assertThat(queue.get()).isEqualTo(new WorkflowKey("ns", "a"));
  }

  @Test
  void onDelete_enqueuesNothing() {
    handler.onDelete(workflow("ns", "a"), false);
    assertThat(queue.len()).isZero();
  }

  @Test
  void keyOf_clusterScopedObject_hasEmptyNamespace() {
    assertThat(KeyEnqueuer.keyOf(workflow(null, "x"))).isEqualTo(new WorkflowKey("", "x"));
  }
}
