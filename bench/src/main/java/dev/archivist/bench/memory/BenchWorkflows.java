package dev.archivist.bench.memory;

import dev.archivist.core.WorkflowLabels;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/** Where Argo's Workflows live in the Kubernetes API, for the benchmark's own clients. */
final class BenchWorkflows {
  /** Spelled out, so that no client needs API discovery. */
  static final ResourceDefinitionContext CONTEXT = new ResourceDefinitionContext.Builder()
      .withGroup(WorkflowLabels.GROUP)
      .withVersion(WorkflowLabels.VERSION)
      .withKind(WorkflowLabels.KIND)
      .withPlural(WorkflowLabels.PLURAL)
      .withNamespaced(true)
      .build();

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

  static MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList,
      Resource<GenericKubernetesResource>> operation(KubernetesClient client) {
    return client.genericKubernetesResources(CONTEXT);
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
