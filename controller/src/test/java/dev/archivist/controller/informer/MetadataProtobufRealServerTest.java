package dev.archivist.controller.informer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.archivist.controller.RealWorkflows;
import dev.archivist.controller.TestWorkflows;
import dev.archivist.controller.kube.Workflows;
import dev.archivist.testing.KubeExtension;
import dev.archivist.testing.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The informers' protobuf reads on a real API server: every list and watch event, turned into
 * JSON, must be what the same server sends as JSON for the same request (less
 * {@code managedFields}, which the informers never read), for every field of a workflow's
 * metadata, and in fewer bytes.
 */
@ExtendWith(KubeExtension.class)
class MetadataProtobufRealServerTest {
  private static final String HOLD = "archivist.dev/protobuf-test";

  @Test
  void listAndWatch_protobuf_readAsTheServersOwnJson(TestNamespace ns) throws Exception {
    RealWorkflows.createCompleted(ns, "plain", 3, 2048);
    RealWorkflows.create(ns, rich(ns, "rich"));
    Map<String, AtomicLong> bytes = new ConcurrentHashMap<>();

    try (KubernetesClient proto = client(ns, true, bytes, "protobuf");
        KubernetesClient json = client(ns, false, bytes, "json")) {
      String url = ns.cluster().serverUrl().replaceAll("/+$", "")
          + "/apis/argoproj.io/v1alpha1/namespaces/" + ns.name()
          + "/workflows";
      JsonNode protoList = get(proto, url);
      JsonNode jsonList = get(json, url);
      assertThat(protoList.get("kind").stringValue()).isEqualTo("PartialObjectMetadataList");
      assertThat(protoList.get("metadata").get("resourceVersion").stringValue()).isNotEmpty();
      assertThat(protoList.get("items")).hasSize(4);
      assertThat(protoList.get("items")).isEqualTo(withoutManagedFields(jsonList.get("items")));
      assertThat(bytes.get("protobuf").get()).as("protobuf bytes against JSON bytes")
          .isLessThan(bytes.get("json").get() * 3 / 4);
      JsonNode rich = item(protoList, "rich");
      assertThat(rich.get("metadata").get("ownerReferences")).hasSize(1);
      assertThat(rich.get("metadata").get("finalizers")).hasSize(1);
      assertThat(rich.get("metadata").get("annotations").get("archivist.dev/note").stringValue())
          .isEqualTo("grüße \"quoted\" ✓");

      // A label change, a deletion held by a finalizer, the release: both watches see the same.
      String from = jsonList.get("metadata").get("resourceVersion").stringValue();
      Watch protoWatch = Watch.open(proto, url + "?watch=true&resourceVersion=" + from);
      Watch jsonWatch = Watch.open(json, url + "?watch=true&resourceVersion=" + from);
      var workflows = Workflows.operation(ns.admin()).inNamespace(ns.name());
      workflows.withName("plain-00001").edit(w -> {
        w.getMetadata().getLabels().put("archivist.dev/touched", "yes");
        return w;
      });
      workflows.withName("rich").delete();
      workflows.withName("rich").edit(w -> {
        w.getMetadata().setFinalizers(List.of());
        return w;
      });
      await().until(() -> protoWatch.deleted() && jsonWatch.deleted());
      protoWatch.close();
      jsonWatch.close();
      assertThat(protoWatch.types()).startsWith("MODIFIED", "MODIFIED").endsWith("DELETED");
      assertThat(protoWatch.events()).isEqualTo(withoutManagedFields(jsonWatch.events()));
      JsonNode deleting = protoWatch.events().get(1).get("object").get("metadata");
      assertThat(deleting.get("deletionTimestamp").stringValue()).endsWith("Z");
      assertThat(deleting.get("deletionGracePeriodSeconds").longValue()).isZero();

      // A watch from a compacted revision: the ERROR event's Status, as the server's JSON.
      ns.cluster().compactEtcd();
      Watch protoExpired = Watch.open(proto, url + "?watch=true&resourceVersion=" + from);
      Watch jsonExpired = Watch.open(json, url + "?watch=true&resourceVersion=" + from);
      await().until(() -> !protoExpired.events().isEmpty() && !jsonExpired.events().isEmpty());
      protoExpired.close();
      jsonExpired.close();
      JsonNode error = protoExpired.events().get(0);
      assertThat(error.get("type").stringValue()).isEqualTo("ERROR");
      assertThat(error.get("object").get("kind").stringValue()).isEqualTo("Status");
      assertThat(error.get("object").get("code").intValue()).isEqualTo(410);
      assertThat(error).isEqualTo(jsonExpired.events().get(0));
    }
  }

  /** A workflow with every field of metadata the API server lets a client set. */
  private static ObjectNode rich(TestNamespace ns, String name) {
    ObjectNode wf = RealWorkflows.completed(ns, name, 512);
    ObjectNode metadata = (ObjectNode) wf.get("metadata");
    metadata.put("generateName", "rich-");
    metadata.putObject("annotations").put("archivist.dev/note", "grüße \"quoted\" ✓")
        .put("archivist.dev/empty", "");
    metadata.putArray("finalizers").add(HOLD);
    metadata.putArray("ownerReferences").addObject().put("apiVersion", "v1")
        .put("kind", "ConfigMap").put("name", "owner")
        .put("uid", "6f1c2b0e-27a8-4a53-9b8e-3c1f5a7d9e20").put("controller", true)
        .put("blockOwnerDeletion", false);
    TestWorkflows.labels(wf).put("archivist.dev/empty-value", "");
    return wf;
  }

  /** A client as the informers' own, asking for protobuf first or for JSON only. */
  private static KubernetesClient client(TestNamespace ns, boolean protobuf,
      Map<String, AtomicLong> bytes, String name) {
    AtomicLong counted = bytes.computeIfAbsent(name, k -> new AtomicLong());
    return InformerSource.metadataClientBuilder(ns.admin().getConfiguration(), http -> http
        .addOrReplaceInterceptor(MetadataOnlyAccept.NAME, new MetadataOnlyAccept(protobuf))
        .addOrReplaceInterceptor("count-bytes", new CountBytes(counted)))
        .build();
  }

  private static JsonNode get(KubernetesClient client, String url) throws Exception {
    HttpClient http = client.getHttpClient();
    HttpResponse<String> response = http.sendAsync(
        http.newHttpRequestBuilder().uri(url).build(), String.class).get(30, TimeUnit.SECONDS);
    assertThat(response.code()).as(response.body()).isEqualTo(200);
    return TestWorkflows.JSON.readTree(response.body());
  }

  private static JsonNode item(JsonNode list, String name) {
    for (JsonNode item : list.get("items")) {
      if (item.get("metadata").get("name").stringValue().equals(name)) {
        return item;
      }
    }
    throw new AssertionError("no item " + name + " in " + list);
  }

  /** A copy of {@code nodes} without the {@code managedFields} of any metadata in it. */
  private static <T> T withoutManagedFields(T nodes) {
    if (nodes instanceof List<?> list) {
      List<JsonNode> copy = new ArrayList<>();
      for (Object n : list) {
        copy.add(withoutManagedFields((JsonNode) n));
      }
      @SuppressWarnings("unchecked")
      T t = (T) copy;
      return t;
    }
    JsonNode copy = ((JsonNode) nodes).deepCopy();
    strip(copy);
    @SuppressWarnings("unchecked")
    T t = (T) copy;
    return t;
  }

  private static void strip(JsonNode node) {
    if (node instanceof ObjectNode o) {
      o.remove("managedFields");
    }
    for (JsonNode child : node) {
      strip(child);
    }
  }

  /** A watch read line by line, each line one event. */
  private static final class Watch {
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile AsyncBody body;

    static Watch open(KubernetesClient client, String url) throws Exception {
      Watch watch = new Watch();
      HttpClient http = client.getHttpClient();
      HttpResponse<AsyncBody> response = http.consumeBytes(
          http.newHttpRequestBuilder().uri(url).build(), watch::consume)
          .get(30, TimeUnit.SECONDS);
      assertThat(response.code()).isEqualTo(200);
      watch.body = response.body();
      watch.body.consume();
      return watch;
    }

    private void consume(List<ByteBuffer> chunk, AsyncBody body) {
      for (ByteBuffer b : chunk) {
        partial.append(StandardCharsets.UTF_8.decode(b));
      }
      int newline;
      while ((newline = partial.indexOf("\n")) >= 0) {
        events.add(TestWorkflows.JSON.readTree(partial.substring(0, newline)));
        partial.delete(0, newline + 1);
      }
      body.consume();
    }

    List<JsonNode> events() {
      return events;
    }

    List<String> types() {
      return events.stream().map(e -> e.get("type").stringValue()).toList();
    }

    boolean deleted() {
      return types().contains("DELETED");
    }

    void close() {
      body.cancel();
    }
  }

  /** Counts the bytes of every response body, before any other interceptor reads them. */
  private record CountBytes(AtomicLong bytes) implements Interceptor {
    @Override
    public AsyncBody.Consumer<List<ByteBuffer>> consumer(
        AsyncBody.Consumer<List<ByteBuffer>> consumer, HttpRequest request) {
      return (chunk, body) -> {
        chunk.forEach(b -> bytes.addAndGet(b.remaining()));
        consumer.consume(chunk, body);
      };
    }
  }
}
