package dev.archivist.bench.memory;

import dev.archivist.core.WorkflowLabels;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;

/** Where Argo's Workflows live in the Kubernetes API, for the benchmark's own clients. */
final class BenchWorkflows {
  private BenchWorkflows() {}

  /** Argo's Workflow CRD; it has no status subresource (Argo writes status with the object). */
  static CustomResourceDefinitionContext crd() {
    return new CustomResourceDefinitionContext.Builder()
        .withName(WorkflowLabels.PLURAL + "." + WorkflowLabels.GROUP)
        .withGroup(WorkflowLabels.GROUP)
        .withVersion(WorkflowLabels.VERSION)
        .withPlural(WorkflowLabels.PLURAL)
        .withKind(WorkflowLabels.KIND)
        .withScope("Namespaced")
        .withStatusSubresource(false)
        .build();
  }

  /** Whether the workflow carries the completed label and is not yet marked Archived. */
  static boolean isArchivable(GenericKubernetesResource wf) {
    var labels = wf.getMetadata().getLabels();
    return labels != null && "true".equals(labels.get(WorkflowLabels.COMPLETED))
        && !WorkflowLabels.STATUS_ARCHIVED.equals(labels.get(WorkflowLabels.ARCHIVING_STATUS));
  }

  static String key(GenericKubernetesResource wf) {
    return wf.getMetadata().getNamespace() + "/" + wf.getMetadata().getName();
  }
}
