package dev.archivist.controller.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.controller.TestWorkflows;
import dev.archivist.controller.kube.LifecycleApi.DeleteResult;
import dev.archivist.core.WorkflowKey;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.time.Clock;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The lifecycle's Kubernetes writes against fabric8's CRUD mock server. The mock does not enforce
 * DELETE preconditions, so the DELETE test checks what we send (the real API server refuses a
 * mismatching {@code preconditions.uid} or {@code resourceVersion} with 409 Conflict).
 */
class Fabric8WorkflowsTest {
  private KubernetesMockServer server;
  private KubernetesClient client;
  private Fabric8Workflows api;

  @BeforeEach
  void setUp() {
    server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new KubernetesCrudDispatcher(), false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    client = server.createClient();
    api = new Fabric8Workflows(client, Clock.systemUTC());
  }

  @AfterEach
  void tearDown() {
    client.close();
    server.destroy();
  }

  @Test
  void delete_sendsUidAndResourceVersionPreconditions() throws Exception {
    GenericKubernetesResource wf = create("ns", "w");
    String uid = wf.getMetadata().getUid();
    String rv = wf.getMetadata().getResourceVersion();

    DeleteResult result = api.delete(new WorkflowKey("ns", "w"), uid, rv);

    assertThat(result).isEqualTo(DeleteResult.DELETED);
    // Recorded in order: the POST that created it, then our DELETE.
    assertThat(server.takeRequest(5, TimeUnit.SECONDS).getMethod()).isEqualTo("POST");
    RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
    assertThat(request).as("the DELETE request").isNotNull();
    assertThat(request.getMethod()).isEqualTo("DELETE");
    assertThat(request.getPath()).isEqualTo("/apis/argoproj.io/v1alpha1/namespaces/ns/workflows/w");
    JsonNode body = TestWorkflows.JSON.readTree(request.getUtf8Body());
    assertThat(body.path("kind").asString()).isEqualTo("DeleteOptions");
    assertThat(body.path("preconditions").path("uid").asString()).isEqualTo(uid);
    assertThat(body.path("preconditions").path("resourceVersion").asString()).isEqualTo(rv);
    assertThat(body.path("propagationPolicy").asString()).isEqualTo("Background");
    assertThat(Workflows.operation(client).inNamespace("ns").withName("w").get()).isNull();
  }

  @Test
  void delete_gone_isGone() {
    assertThat(api.delete(new WorkflowKey("ns", "never"), "u", "1"))
        .isEqualTo(DeleteResult.GONE);
  }

  @Test
  void annotateQuarantine_thenRemove_leavesNoAnnotation() {
    GenericKubernetesResource wf = create("ns", "q");
    WorkflowKey key = new WorkflowKey("ns", "q");
    String uid = wf.getMetadata().getUid();

    assertThat(api.annotateQuarantine(key, uid, "{\"attempts\":3}")).isTrue();
    assertThat(annotations("ns", "q")).containsEntry(LifecycleApi.QUARANTINE_ANNOTATION,
        "{\"attempts\":3}");

    assertThat(api.removeQuarantineAnnotation(key, uid)).isTrue();
    assertThat(annotations("ns", "q")).doesNotContainKey(LifecycleApi.QUARANTINE_ANNOTATION);
    assertThat(api.removeQuarantineAnnotation(key, uid)).as("nothing left to remove").isFalse();
  }

  @Test
  void removeQuarantineAnnotation_otherUid_changesNothing() {
    GenericKubernetesResource wf = create("ns", "r");
    WorkflowKey key = new WorkflowKey("ns", "r");
    api.annotateQuarantine(key, wf.getMetadata().getUid(), "{}");

    assertThat(api.removeQuarantineAnnotation(key, "someone-else")).isFalse();
    assertThat(annotations("ns", "r")).containsKey(LifecycleApi.QUARANTINE_ANNOTATION);
  }

  private java.util.Map<String, String> annotations(String ns, String name) {
    java.util.Map<String, String> a = Workflows.operation(client).inNamespace(ns).withName(name)
        .get().getMetadata().getAnnotations();
    return a == null ? java.util.Map.of() : a;
  }

  private GenericKubernetesResource create(String ns, String name) {
    GenericKubernetesResource r = client.getKubernetesSerialization()
        .convertValue(TestWorkflows.completed(ns, name), GenericKubernetesResource.class);
    return Workflows.operation(client).inNamespace(ns).resource(r).create();
  }
}
