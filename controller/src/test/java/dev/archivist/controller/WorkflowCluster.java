package dev.archivist.controller;

import dev.archivist.controller.kube.Workflows;
import dev.archivist.core.WorkflowLabels;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The API server a controller test runs on, fabric8's mock ({@link MockCluster}) or a real one
 * ({@link RealCluster}), and what the tests do to workflows there as an admin.
 */
public abstract class WorkflowCluster implements AutoCloseable {

  /** An admin client; the cluster closes it. */
  public abstract KubernetesClient client();

  /**
   * Whether this server validates objects as Kubernetes does: a real API server refuses a
   * request body over 3 MiB, a label value over 63 characters and a {@code status} that the
   * Workflow CRD's schema does not allow, so such objects can never reach a controller there.
   * Tests of how the controller treats them run on the mock only.
   */
  public abstract boolean validatesObjects();

  /** Makes {@code namespace} exist before a workflow is created in it (a real server checks). */
  public void ensureNamespace(String namespace) {}

  /** Creates the workflow; returns its uid as the server assigned it. */
  public final String create(ObjectNode workflow) {
    KubernetesClient client = client();
    GenericKubernetesResource r = client.getKubernetesSerialization()
        .convertValue(workflow, GenericKubernetesResource.class);
    String ns = r.getMetadata().getNamespace();
    ensureNamespace(ns);
    return Workflows.operation(client).inNamespace(ns).resource(r).create().getMetadata().getUid();
  }

  /**
   * Adds or replaces these labels of the workflow. The edit is a read-modify-write with the
   * resourceVersion, so it is tried again when the controller changed the workflow in between
   * (409 Conflict).
   */
  public final void label(String ns, String name, Map<String, String> labels) {
    for (int attempt = 1; ; attempt++) {
      try {
        Workflows.operation(client()).inNamespace(ns).withName(name).edit(r -> {
          r.getMetadata().getLabels().putAll(labels);
          return r;
        });
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 10) {
          throw e;
        }
      }
    }
  }

  public final void delete(String ns, String name) {
    Workflows.operation(client()).inNamespace(ns).withName(name).delete();
  }

  public final Optional<JsonNode> get(String ns, String name) {
    KubernetesClient client = client();
    GenericKubernetesResource r = Workflows.operation(client).inNamespace(ns).withName(name).get();
    return Optional.ofNullable(r)
        .map(x -> client.getKubernetesSerialization().convertValue(x, JsonNode.class));
  }

  /** The archiving-status label, or null (also when the workflow is gone). */
  public final String archivingStatus(String ns, String name) {
    return get(ns, name).map(w -> Workflows.labels(w).get(WorkflowLabels.ARCHIVING_STATUS))
        .orElse(null);
  }

  @Override
  public abstract void close();
}
