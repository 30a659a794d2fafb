package dev.archivist.controller.informer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.archivist.controller.RealWorkflows;
import dev.archivist.controller.TestWorkflows;
import dev.archivist.controller.kube.Workflows;
import dev.archivist.core.LabelSelector;
import dev.archivist.core.WorkflowLabels;
import dev.archivist.testing.ApiRequest;
import dev.archivist.testing.KubeExtension;
import dev.archivist.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The informers' source on a real API server: it must find that the server sends metadata only,
 * list in pages, and never let a workflow's spec or status reach the informer, by list or watch.
 */
@ExtendWith(KubeExtension.class)
class InformerSourceRealServerTest {
  private static final int WORKFLOWS = 1_001;
  private static final int PAD = 8 * 1024;

  @Test
  void informer_realServer_listsAndWatchesMetadataOnlyInPages(TestNamespace ns)
      throws Exception {
    RealWorkflows.createCompleted(ns, "wf", WORKFLOWS, PAD);
    String selector = InformerSelector.render(
        InformerSelector.archiveCandidates("", LabelSelector.everything()));
    AtomicLong bytes = new AtomicLong();

    try (InformerSource source = InformerSource.probe(ns.admin(), List.of(ns.name()), selector,
        http -> http.addOrReplaceInterceptor("count-bytes", new CountBytes(bytes)))) {
      assertThat(source.mode()).isEqualTo(InformerSource.Mode.METADATA_ONLY);
      Recorder seen = new Recorder();
      SharedIndexInformer<GenericKubernetesResource> informer = synced(source, ns, selector, seen);
      long listBytes = bytes.get();

      // A change arrives through the watch: still metadata only.
      Workflows.operation(ns.admin()).inNamespace(ns.name()).withName("wf-00007")
          .edit(w -> {
            w.getMetadata().getLabels().put("touched", "yes");
            return w;
          });
      await().atMost(Duration.ofSeconds(30)).until(() -> seen.updates.get() > 0);
      informer.stop();

      assertThat(seen.names).hasSize(WORKFLOWS);
      assertThat(seen.withBody).as("objects with a spec or status").isEmpty();
      assertThat(listBytes / WORKFLOWS).as("bytes listed per workflow of %d bytes", PAD)
          .isLessThan(2048);
    }
    List<ApiRequest> lists = ns.cluster().requests().stream()
        .filter(r -> r.namespace().equals(ns.name()) && r.verb().equals("list")
            && r.resource().equals(WorkflowLabels.PLURAL) && r.query().containsKey("labelSelector"))
        .toList();
    assertThat(lists).as("the probe and 3 pages of 500").hasSize(4);
    assertThat(lists.subList(1, 4)).allSatisfy(r ->
        assertThat(r.query()).containsEntry("limit", "500"));
    assertThat(lists.subList(2, 4)).allSatisfy(r ->
        assertThat(r.query()).containsKey("continue"));
  }

  @Test
  void informer_realServer_appliesTheWholeSelectorOnTheServer(TestNamespace ns)
      throws Exception {
    RealWorkflows.create(ns, labelled(ns, "plain", Map.of()));
    RealWorkflows.create(ns, labelled(ns, "team-a", Map.of("team", "a")));
    RealWorkflows.create(ns, labelled(ns, "team-a-blue", Map.of("team", "a",
        WorkflowLabels.CONTROLLER_INSTANCE_ID, "blue")));
    RealWorkflows.create(ns, labelled(ns, "team-b-blue", Map.of("team", "b",
        WorkflowLabels.CONTROLLER_INSTANCE_ID, "blue")));
    RealWorkflows.create(ns, labelled(ns, "team-a-archived", Map.of("team", "a",
        WorkflowLabels.ARCHIVING_STATUS, WorkflowLabels.STATUS_ARCHIVED)));

    assertThat(informed(ns, "", LabelSelector.everything()))
        .containsExactlyInAnyOrder("plain", "team-a");
    assertThat(informed(ns, "", LabelSelector.parse("team in (a)")))
        .containsExactly("team-a");
    assertThat(informed(ns, "blue", LabelSelector.parse("team notin (b)")))
        .containsExactly("team-a-blue");
    // Nothing selected: the server sends "items": null, and the informer must still sync.
    assertThat(informed(ns, "nobody-runs-this-instance", LabelSelector.everything())).isEmpty();
  }

  private static tools.jackson.databind.node.ObjectNode labelled(TestNamespace ns, String name,
      Map<String, String> labels) {
    var wf = TestWorkflows.completed(ns.name(), name);
    labels.forEach(TestWorkflows.labels(wf)::put);
    return wf;
  }

  private static Set<String> informed(TestNamespace ns, String instanceId,
      LabelSelector archiveSelector) {
    String selector = InformerSelector.render(
        InformerSelector.archiveCandidates(instanceId, archiveSelector));
    try (InformerSource source = InformerSource.probe(ns.admin(), List.of(ns.name()), selector,
        http -> { })) {
      Recorder seen = new Recorder();
      synced(source, ns, selector, seen).stop();
      return seen.names;
    }
  }

  /** An informer of {@code ns} started with {@code handler}, once it has synced. */
  private static SharedIndexInformer<GenericKubernetesResource> synced(InformerSource source,
      TestNamespace ns, String selector, Recorder handler) {
    SharedIndexInformer<GenericKubernetesResource> informer = source.informer(ns.name(),
        selector);
    informer.addEventHandler(handler);
    informer.start();
    await().atMost(Duration.ofMinutes(1)).until(informer::hasSynced);
    return informer;
  }

  /** Records the names informed, and any that carried a spec or status. */
  private static final class Recorder extends LatestStateHandler {
    final Set<String> names = ConcurrentHashMap.newKeySet();
    final Set<String> withBody = ConcurrentHashMap.newKeySet();
    final AtomicInteger updates = new AtomicInteger();

    @Override
    public void onUpdate(HasMetadata oldObj, HasMetadata newObj) {
      super.onUpdate(oldObj, newObj);
      updates.incrementAndGet();
    }

    @Override
    public void onDelete(HasMetadata obj, boolean deletedFinalStateUnknown) {}

    @Override
    protected void onLatest(HasMetadata obj) {
      names.add(obj.getMetadata().getName());
      if (obj instanceof GenericKubernetesResource r
          && (r.getAdditionalProperties().containsKey("spec")
              || r.getAdditionalProperties().containsKey("status"))) {
        withBody.add(obj.getMetadata().getName());
      }
    }
  }

  /** Counts the bytes of every response body. */
  private static final class CountBytes implements Interceptor {
    private final AtomicLong bytes;

    CountBytes(AtomicLong bytes) {
      this.bytes = bytes;
    }

    @Override
    public AsyncBody.Consumer<List<ByteBuffer>> consumer(
        AsyncBody.Consumer<List<ByteBuffer>> consumer, HttpRequest request) {
      return (buffers, body) -> {
        for (ByteBuffer b : buffers) {
          bytes.addAndGet(b.remaining());
        }
        consumer.consume(buffers, body);
      };
    }
  }
}
