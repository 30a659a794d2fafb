package dev.archivist.controller.kube;

import dev.archivist.core.WorkflowLabels;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Where Argo's Workflows live in the Kubernetes API, and how to read their labels. */
public final class Workflows {
  /**
   * Argo's Workflow resource, spelled out so that the client needs no API discovery (the
   * equivalent of {@code genericKubernetesResources("argoproj.io/v1alpha1", "Workflow")}).
   */
  public static final ResourceDefinitionContext CONTEXT = new ResourceDefinitionContext.Builder()
      .withGroup(WorkflowLabels.GROUP)
      .withVersion(WorkflowLabels.VERSION)
      .withKind(WorkflowLabels.KIND)
      .withPlural(WorkflowLabels.PLURAL)
      .withNamespaced(true)
      .build();

  private Workflows() {}

  public static MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList,
      Resource<GenericKubernetesResource>> operation(KubernetesClient client) {
    return client.genericKubernetesResources(CONTEXT);
  }

  /** The labels of a workflow object; empty when it has none or they are not an object. */
  public static Map<String, String> labels(JsonNode workflow) {
    JsonNode labels = workflow.path("metadata").path("labels");
    if (!labels.isObject() || labels.isEmpty()) {
      return Collections.emptyMap();
    }
    Map<String, String> out = new HashMap<>();
    for (Map.Entry<String, JsonNode> e : labels.properties()) {
      JsonNode v = e.getValue();
      out.put(e.getKey(), v.isString() ? v.stringValue() : v.toString());
    }
    return out;
  }
}
