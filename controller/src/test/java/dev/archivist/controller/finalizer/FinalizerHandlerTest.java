package dev.archivist.controller.finalizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.controller.kube.FinalizerApi;
import dev.archivist.core.LabelSelector;
import dev.archivist.core.WorkflowKey;
import dev.archivist.core.WorkflowLabels;
import dev.archivist.workqueue.WorkQueue;
import dev.archivist.workqueue.WorkQueues;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where the finalizer informer's handler sends a key, from the event's metadata alone. */
class FinalizerHandlerTest {
  private final WorkQueue<WorkflowKey> adds = WorkQueues.<WorkflowKey>builder().build();
  private final WorkQueue<WorkflowKey> archive = WorkQueues.<WorkflowKey>builder().build();
  private final FinalizerHandler handler =
      new FinalizerHandler(LabelSelector.parse("team!=other"), adds, archive);

  private static GenericKubernetesResource workflow(Map<String, String> labels,
      List<String> finalizers, String deletionTimestamp) {
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setMetadata(new ObjectMetaBuilder().withNamespace("ns").withName("w").withUid("u")
        .withLabels(labels).withFinalizers(finalizers)
        .withDeletionTimestamp(deletionTimestamp).build());
    return r;
  }

  @Test
  void onAdd_workflowWithoutOurFinalizer_goesToTheAddQueue() throws Exception {
    handler.onAdd(workflow(Map.of(), List.of("example.com/other"), null));

    assertThat(adds.len()).isEqualTo(1);
    assertThat(adds.get()).isEqualTo(new WorkflowKey("ns", "w"));
    assertThat(archive.len()).isZero();
  }

  @Test
  void onUpdate_workflowHoldingOurFinalizer_goesNowhere() {
    GenericKubernetesResource held = workflow(Map.of(), List.of(FinalizerApi.FINALIZER), null);
    handler.onUpdate(held, held);

    assertThat(adds.len()).isZero();
    assertThat(archive.len()).isZero();
  }

  @Test
  void onUpdate_beingDeletedWithOurFinalizer_goesToTheArchiveQueue() throws Exception {
    handler.onUpdate(workflow(Map.of(), List.of(FinalizerApi.FINALIZER), null),
        workflow(Map.of(), List.of(FinalizerApi.FINALIZER), "2026-12-04T10:00:00Z"));

    assertThat(archive.len()).isEqualTo(1);
    assertThat(archive.get()).isEqualTo(new WorkflowKey("ns", "w"));
    assertThat(adds.len()).isZero();
  }

  @Test
  void onAdd_beingDeletedWithoutOurFinalizer_goesNowhere() {
    handler.onAdd(workflow(Map.of(), List.of(), "2026-12-04T10:00:00Z"));

    assertThat(adds.len()).isZero();
    assertThat(archive.len()).isZero();
  }

  @Test
  void onAdd_archivedOrNotSelected_getsNoFinalizer() {
    handler.onAdd(workflow(Map.of(WorkflowLabels.ARCHIVING_STATUS,
        WorkflowLabels.STATUS_ARCHIVED), List.of(), null));
    handler.onAdd(workflow(Map.of("team", "other"), List.of(), null));

    assertThat(adds.len()).isZero();
    assertThat(archive.len()).isZero();
  }

  @Test
  void onDelete_goesNowhere() {
    handler.onDelete(workflow(Map.of(), List.of(), null), false);

    assertThat(adds.len()).isZero();
  }
}
