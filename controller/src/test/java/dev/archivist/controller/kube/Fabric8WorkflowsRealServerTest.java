package dev.archivist.controller.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.controller.RealWorkflows;
import dev.archivist.controller.TestWorkflows;
import dev.archivist.controller.kube.WorkflowApi.MarkResult;
import dev.archivist.controller.kube.WorkflowApi.Marking;
import dev.archivist.controller.kube.WorkflowApi.Page;
import dev.archivist.core.WorkflowKey;
import dev.archivist.core.WorkflowLabels;
import dev.archivist.testing.ApiRequest;
import dev.archivist.testing.KubeExtension;
import dev.archivist.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The workers' Kubernetes calls on a real API server, which, unlike fabric8's mock, answers a
 * JSON Patch whose {@code test} fails, pages a LIST, and is where hidden requests show in the
 * audit log.
 */
@ExtendWith(KubeExtension.class)
class Fabric8WorkflowsRealServerTest {

  @Test
  void markArchived_completedWorkflow_labelsItWithOnePatchAndNoRead(TestNamespace ns) {
    Fabric8Workflows api = new Fabric8Workflows(ns.admin(), Clock.systemUTC());
    ObjectNode wf = TestWorkflows.completed(ns.name(), "plain");
    String uid = RealWorkflows.create(ns, wf);
    WorkflowKey key = new WorkflowKey(ns.name(), "plain");
    JsonNode read = api.get(key).orElseThrow();

    MarkResult result = api.markArchived(key, marking(read));

    assertThat(result).isEqualTo(MarkResult.MARKED);
    GenericKubernetesResource now = live(ns, "plain");
    assertThat(now.getMetadata().getLabels())
        .containsEntry(WorkflowLabels.ARCHIVING_STATUS, WorkflowLabels.STATUS_ARCHIVED)
        .containsEntry(WorkflowLabels.COMPLETED, "true");
    assertThat(now.getMetadata().getAnnotations()).containsKey(LifecycleApi.ARCHIVED_AT_ANNOTATION);
    assertThat(now.getMetadata().getUid()).isEqualTo(uid);
    List<String> verbs = new ArrayList<>();
    for (ApiRequest r : ns.cluster().requests()) {
      if (r.namespace().equals(ns.name()) && r.name().equals("plain")) {
        verbs.add(r.verb());
      }
    }
    assertThat(verbs).as("requests on the workflow: ours are the one GET and the one PATCH")
        .containsExactly("create", "get", "patch", "get");
  }

  /** {@code argo retry} removed the completed label after the read: the PATCH must not land. */
  @Test
  void markArchived_workflowRetriedSinceTheRead_isNotLabelled(TestNamespace ns) {
    Fabric8Workflows api = new Fabric8Workflows(ns.admin(), Clock.systemUTC());
    ObjectNode wf = TestWorkflows.completed(ns.name(), "retried");
    ((ObjectNode) wf.get("metadata")).putObject("annotations").put("note", "kept");
    RealWorkflows.create(ns, wf);
    WorkflowKey key = new WorkflowKey(ns.name(), "retried");
    Marking marking = marking(api.get(key).orElseThrow());
    Workflows.operation(ns.admin()).inNamespace(ns.name()).withName("retried").edit(w -> {
      w.getMetadata().getLabels().remove(WorkflowLabels.COMPLETED);
      w.getMetadata().getLabels().put(WorkflowLabels.PHASE, "Running");
      return w;
    });

    MarkResult result = api.markArchived(key, marking);

    assertThat(result).isEqualTo(MarkResult.CHANGED);
    assertThat(live(ns, "retried").getMetadata().getLabels())
        .doesNotContainKey(WorkflowLabels.ARCHIVING_STATUS);
  }

  @Test
  void markArchived_nameRecreatedSinceTheRead_isReplacedNotLabelled(TestNamespace ns) {
    Fabric8Workflows api = new Fabric8Workflows(ns.admin(), Clock.systemUTC());
    RealWorkflows.create(ns, TestWorkflows.completed(ns.name(), "again"));
    WorkflowKey key = new WorkflowKey(ns.name(), "again");
    Marking marking = marking(api.get(key).orElseThrow());
    Workflows.operation(ns.admin()).inNamespace(ns.name()).withName("again").delete();
    org.awaitility.Awaitility.await().until(() -> api.get(key).isEmpty());
    RealWorkflows.create(ns, TestWorkflows.completed(ns.name(), "again"));

    MarkResult result = api.markArchived(key, marking);

    assertThat(result).isEqualTo(MarkResult.REPLACED);
    assertThat(live(ns, "again").getMetadata().getLabels())
        .doesNotContainKey(WorkflowLabels.ARCHIVING_STATUS);
  }

  @Test
  void list_followsContinueAcrossPages(TestNamespace ns) throws Exception {
    Fabric8Workflows api = new Fabric8Workflows(ns.admin(), Clock.systemUTC());
    RealWorkflows.createCompleted(ns, "p", 5, 0);
    String selector = WorkflowLabels.COMPLETED + "=true";

    Page first = api.list(ns.name(), selector, 2, null);
    Page second = api.list(ns.name(), selector, 2, first.continueToken());
    Page third = api.list(ns.name(), selector, 2, second.continueToken());

    assertThat(first.items()).hasSize(2);
    assertThat(second.items()).hasSize(2);
    assertThat(third.items()).hasSize(1);
    assertThat(third.continueToken()).isNull();
  }

  /**
   * The finalizer's JSON Patches: added after others' (never twice: the second add's test of the
   * list fails), and removed by the mark only where the tested element is ours; an element that
   * moved since the read refuses the mark rather than removing someone else's finalizer.
   */
  @Test
  void finalizer_addedOnceAfterOthers_andTheMarkRemovesOnlyOurs(TestNamespace ns) {
    Fabric8Workflows api = new Fabric8Workflows(ns.admin(), Clock.systemUTC());
    ObjectNode wf = TestWorkflows.completed(ns.name(), "held");
    ((ObjectNode) wf.get("metadata")).putArray("finalizers").add("example.com/a")
        .add("example.com/b");
    String uid = RealWorkflows.create(ns, wf);
    WorkflowKey key = new WorkflowKey(ns.name(), "held");
    GenericKubernetesResource before = live(ns, "held");
    List<String> listed = before.getMetadata().getFinalizers();

    assertThat(api.add(key, uid, before.getMetadata().getResourceVersion(), listed))
        .isEqualTo(FinalizerApi.Result.DONE);
    assertThat(api.add(key, uid, before.getMetadata().getResourceVersion(), listed))
        .as("the list changed: ours is in it now").isEqualTo(FinalizerApi.Result.CHANGED);
    assertThat(live(ns, "held").getMetadata().getFinalizers())
        .containsExactly("example.com/a", "example.com/b", FinalizerApi.FINALIZER);

    JsonNode read = api.get(key).orElseThrow();
    Marking stale = Marking.of(read);
    assertThat(stale.finalizerIndex()).isEqualTo(2);
    // Someone removes the first finalizer: ours moves to index 1.
    Workflows.operation(ns.admin()).inNamespace(ns.name()).withName("held").edit(r -> {
      r.getMetadata().getFinalizers().remove("example.com/a");
      return r;
    });
    assertThat(api.markArchived(key, stale)).isEqualTo(MarkResult.CHANGED);
    assertThat(live(ns, "held").getMetadata().getFinalizers())
        .containsExactly("example.com/b", FinalizerApi.FINALIZER);

    assertThat(api.markArchived(key, Marking.of(api.get(key).orElseThrow())))
        .isEqualTo(MarkResult.MARKED);
    GenericKubernetesResource after = live(ns, "held");
    assertThat(after.getMetadata().getFinalizers()).containsExactly("example.com/b");
    assertThat(after.getMetadata().getLabels())
        .containsEntry(WorkflowLabels.ARCHIVING_STATUS, WorkflowLabels.STATUS_ARCHIVED);
  }

  /**
   * The adder's cache keeps no labels: it may add our finalizer to a workflow the worker has
   * just labelled Archived. The add's answer shows the label, and the finalizer comes off at
   * once rather than holding the workflow until its deletion.
   */
  @Test
  void finalizer_addedAfterTheMark_isReleasedAtOnce(TestNamespace ns) {
    Fabric8Workflows api = new Fabric8Workflows(ns.admin(), Clock.systemUTC());
    String uid = RealWorkflows.create(ns, TestWorkflows.completed(ns.name(), "late"));
    WorkflowKey key = new WorkflowKey(ns.name(), "late");
    assertThat(api.markArchived(key, Marking.of(api.get(key).orElseThrow())))
        .isEqualTo(MarkResult.MARKED);
    GenericKubernetesResource marked = live(ns, "late");

    assertThat(api.add(key, uid, marked.getMetadata().getResourceVersion(), List.of()))
        .isEqualTo(FinalizerApi.Result.DONE);

    GenericKubernetesResource after = live(ns, "late");
    assertThat(after.getMetadata().getFinalizers()).as("released in the same call").isEmpty();
    assertThat(after.getMetadata().getLabels())
        .containsEntry(WorkflowLabels.ARCHIVING_STATUS, WorkflowLabels.STATUS_ARCHIVED);
  }

  private static Marking marking(JsonNode read) {
    JsonNode meta = read.path("metadata");
    return new Marking(meta.path("uid").asString(), meta.path("annotations").isObject(),
        meta.path("resourceVersion").asString());
  }

  private static GenericKubernetesResource live(TestNamespace ns, String name) {
    return Workflows.operation(ns.admin()).inNamespace(ns.name()).withName(name).get();
  }
}
