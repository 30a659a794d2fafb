package dev.archivist.controller;

import dev.archivist.controller.kube.Workflows;
import dev.archivist.core.WorkflowLabels;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * fabric8's mock API server in CRUD mode on loopback: a real HTTP server that speaks the list,
 * watch, get, patch and delete of Workflows, and keeps what is created.
 */
final class MockCluster implements AutoCloseable {
  private final KubernetesMockServer server;
  private final KubernetesClient client;

  MockCluster() {
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new KubernetesCrudDispatcher(), false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    client = server.createClient();
  }

  KubernetesClient client() {
    return client;
  }

  /** Creates the workflow; returns its uid as the server assigned it. */
  String create(ObjectNode workflow) {
    GenericKubernetesResource r = client.getKubernetesSerialization()
        .convertValue(workflow, GenericKubernetesResource.class);
    String ns = r.getMetadata().getNamespace();
    return Workflows.operation(client).inNamespace(ns).resource(r).create().getMetadata().getUid();
  }

  /** Replaces the workflow's labels with a merge patch. */
  void label(String ns, String name, Map<String, String> labels) {
    Workflows.operation(client).inNamespace(ns).withName(name).edit(r -> {
      r.getMetadata().getLabels().putAll(labels);
      return r;
    });
  }

  void delete(String ns, String name) {
    Workflows.operation(client).inNamespace(ns).withName(name).delete();
  }

  Optional<JsonNode> get(String ns, String name) {
    GenericKubernetesResource r = Workflows.operation(client).inNamespace(ns).withName(name).get();
    return Optional.ofNullable(r)
        .map(x -> client.getKubernetesSerialization().convertValue(x, JsonNode.class));
  }

  /** The archiving-status label, or null (also when the workflow is gone). */
  String archivingStatus(String ns, String name) {
    return get(ns, name).map(w -> Workflows.labels(w).get(WorkflowLabels.ARCHIVING_STATUS))
        .orElse(null);
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
