package dev.archivist.bench.memory;

import dev.archivist.controller.kube.Workflows;
import dev.archivist.core.WorkflowLabels;
import dev.archivist.store.ArchiveStore;
import dev.archivist.store.BatchResult;
import dev.archivist.store.WorkflowDocument;
import dev.archivist.store.WorkflowDocuments;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;

/**
 * The archive step the two baseline modes share: convert, write the batch with our
 * {@link ArchiveStore} (one transaction), then mark each written workflow {@code Archived} with a
 * JSON merge patch carrying its uid, as Archivist's controller does. Using the product's store and
 * patch keeps the database and API work identical across modes; only where the objects come from
 * and how long they are held differs.
 *
 * <p>Thread-safe: the store and the client are, and the counter is atomic.
 */
final class ArchiveWriter {
  private final KubernetesClient client;
  private final ArchiveStore store;
  private final Clock clock;
  private final AtomicLong archived = new AtomicLong();

  ArchiveWriter(KubernetesClient client, ArchiveStore store, Clock clock) {
    this.client = client;
    this.store = store;
    this.clock = clock;
  }

  /**
   * Archives {@code workflows} in one transaction and marks the written ones.
   *
   * @throws RuntimeException when the batch or a patch fails; the caller decides what to do
   */
  void archive(List<GenericKubernetesResource> workflows) {
    List<WorkflowDocument> docs = new ArrayList<>(workflows.size());
    var serialization = client.getKubernetesSerialization();
    for (GenericKubernetesResource wf : workflows) {
      docs.add(WorkflowDocuments.fromWorkflow(serialization.convertValue(wf, JsonNode.class),
          clock.instant()));
    }
    BatchResult result = store.archive(docs);
    for (int i = 0; i < workflows.size(); i++) {
      if (result.outcomes().get(i) instanceof BatchResult.Written) {
        archived.incrementAndGet();
        markArchived(workflows.get(i));
      } else {
        System.err.println("archive: rejected " + result.outcomes().get(i));
      }
    }
  }

  private void markArchived(GenericKubernetesResource wf) {
    String patch = client.getKubernetesSerialization().asJson(Map.of("metadata", Map.of(
        "uid", wf.getMetadata().getUid(),
        "labels", Map.of(WorkflowLabels.ARCHIVING_STATUS, WorkflowLabels.STATUS_ARCHIVED))));
    try {
      Workflows.operation(client).inNamespace(wf.getMetadata().getNamespace())
          .withName(wf.getMetadata().getName())
          .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  long archived() {
    return archived.get();
  }
}
