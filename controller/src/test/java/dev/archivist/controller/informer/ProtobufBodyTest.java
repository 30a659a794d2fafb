package dev.archivist.controller.informer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.archivist.controller.TestWorkflows;
import dev.archivist.controller.informer.MetadataProtobuf.MalformedProtobufException;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.StandardHttpRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A protobuf body turned into JSON however the network cuts it into chunks. The list and the
 * ERROR event are answers of a real API server (kube-apiserver 1.37), kept as they came.
 */
class ProtobufBodyTest {
  @Test
  void list_realServerAnswer_readAsItsJson() throws Exception {
    byte[] list = resource("partial-object-metadata-list.pb");

    JsonNode json = TestWorkflows.JSON.readTree(
        MetadataProtobuf.envelopeToJson(list, 0, list.length));

    assertThat(json.get("kind").stringValue()).isEqualTo("PartialObjectMetadataList");
    assertThat(json.get("apiVersion").stringValue()).isEqualTo("meta.k8s.io/v1");
    assertThat(json.get("metadata").get("continue").stringValue()).isNotEmpty();
    assertThat(json.get("metadata").get("remainingItemCount").longValue()).isEqualTo(2058);
    assertThat(json.get("items")).hasSize(3);
    JsonNode first = json.get("items").get(0);
    assertThat(first.get("kind").stringValue()).isEqualTo("PartialObjectMetadata");
    JsonNode metadata = first.get("metadata");
    assertThat(metadata.get("name").stringValue()).isEqualTo("backlog-archivist-mx9sbsd8-000000");
    assertThat(metadata.get("namespace").stringValue()).isEqualTo("bench-a");
    assertThat(metadata.get("uid").stringValue()).isEqualTo("ef4ea060-2ddc-48d2-8d50-d5489b003e13");
    assertThat(metadata.get("resourceVersion").stringValue()).isEqualTo("224");
    assertThat(metadata.get("generation").longValue()).isEqualTo(1);
    assertThat(metadata.get("creationTimestamp").stringValue()).isEqualTo("2026-12-05T02:20:04Z");
    assertThat(metadata.get("labels").get("workflows.argoproj.io/phase").stringValue())
        .isEqualTo("Error");
    assertThat(metadata.get("labels")).hasSize(5);
    assertThat(metadata.get("annotations").get("workflows.argoproj.io/pod-name-format")
        .stringValue()).isEqualTo("v2");
    assertThat(metadata.has("managedFields")).isFalse();
  }

  @Test
  void list_cutAtEveryByte_givesTheWholeJsonOnce() throws Exception {
    byte[] list = resource("partial-object-metadata-list.pb");
    byte[] expected = MetadataProtobuf.envelopeToJson(list, 0, list.length);

    for (int cut = 1; cut < list.length; cut++) {
      Downstream down = new Downstream();
      ProtobufBody body = new ProtobufBody(down, false, e -> {});
      Chunks chunks = new Chunks();
      body.consume(List.of(ByteBuffer.wrap(list, 0, cut)), chunks);
      body.consume(List.of(ByteBuffer.wrap(list, cut, list.length - cut)), chunks);

      assertThat(down.calls).as("cut at %d", cut).isEqualTo(1);
      assertThat(down.bytes.toByteArray()).as("cut at %d", cut).isEqualTo(expected);
      assertThat(chunks.asked.get() + down.calls).as("chunks asked for, cut at %d", cut)
          .isEqualTo(2);
    }
  }

  @Test
  void watch_framesInChunksOfAnySize_oneJsonLineAnEvent() throws Exception {
    byte[] expired = resource("watch-expired.pb");
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    stream.write(frame(event("ADDED", "wf-1", "1")));
    stream.write(frame(event("MODIFIED", "wf-1", "2")));
    stream.write(expired);
    byte[] bytes = stream.toByteArray();

    for (int size = 1; size <= bytes.length; size++) {
      Downstream down = new Downstream();
      ProtobufBody body = new ProtobufBody(down, true, e -> {});
      Chunks chunks = new Chunks();
      int fed = 0;
      for (int at = 0; at < bytes.length; at += size) {
        body.consume(List.of(ByteBuffer.wrap(bytes, at, Math.min(size, bytes.length - at))),
            chunks);
        fed++;
      }

      List<JsonNode> lines = down.lines();
      assertThat(lines).as("chunks of %d", size).hasSize(3);
      assertThat(lines.get(0).get("type").stringValue()).isEqualTo("ADDED");
      assertThat(lines.get(1).get("object").get("metadata").get("resourceVersion").stringValue())
          .isEqualTo("2");
      JsonNode status = lines.get(2).get("object");
      assertThat(lines.get(2).get("type").stringValue()).isEqualTo("ERROR");
      assertThat(status.get("kind").stringValue()).isEqualTo("Status");
      assertThat(status.get("code").intValue()).isEqualTo(410);
      assertThat(status.get("reason").stringValue()).isEqualTo("Expired");
      assertThat(status.get("message").stringValue()).startsWith("too old resource version");
      assertThat(chunks.asked.get() + down.calls).as("each chunk asks for the next once")
          .isEqualTo(fed);
    }
  }

  @Test
  void json_listOrWatch_passesThroughUntouched() throws Exception {
    for (boolean watch : new boolean[] {false, true}) {
      Downstream down = new Downstream();
      ProtobufBody body = new ProtobufBody(down, watch, e -> {});
      body.consume(List.of(bytes("{\"type\":\"ADDED\",")), new Chunks());
      body.consume(List.of(bytes("\"object\":{}}\n")), new Chunks());

      assertThat(down.bytes.toString(StandardCharsets.UTF_8))
          .isEqualTo("{\"type\":\"ADDED\",\"object\":{}}\n");
      assertThat(down.calls).isEqualTo(2);
    }
  }

  @Test
  void malformed_failsTheRequestAndTheClientAsksForJsonFromThenOn() throws Exception {
    MetadataOnlyAccept accept = new MetadataOnlyAccept();
    StandardHttpRequest list = new StandardHttpRequest.Builder()
        .uri(URI.create("https://127.0.0.1:6443/apis/argoproj.io/v1alpha1/workflows?limit=500"))
        .build();
    assertThat(accepted(accept, list)).isEqualTo(MetadataOnlyAccept.LIST);
    AsyncBody.Consumer<List<ByteBuffer>> body = accept.consumer(new Downstream(), list);

    // A type meta whose first string claims more bytes than the message holds.
    byte[] garbage = {'k', '8', 's', 0, 0x0a, 0x03, 0x0a, 0x7f, 'v', 0x12, 0x00};
    assertThatThrownBy(() -> body.consume(List.of(ByteBuffer.wrap(garbage)), new Chunks()))
        .isInstanceOf(MalformedProtobufException.class)
        .hasMessageContaining("cannot be read");

    assertThat(accept.asksForProtobuf()).isFalse();
    assertThat(accepted(accept, list)).isEqualTo(MetadataOnlyAccept.LIST_JSON);
  }

  @Test
  void unexpectedKind_isNamedInTheError() {
    byte[] envelope = envelope("v1", "ConfigMap", new byte[0]);

    assertThatThrownBy(() -> MetadataProtobuf.envelopeToJson(envelope, 0, envelope.length))
        .isInstanceOf(MalformedProtobufException.class)
        .hasMessageContaining("v1 ConfigMap");
  }

  @Test
  void failedRequest_statusWithDetails_readAsItsJson() throws Exception {
    byte[] status = message(out -> {
      out.writeByteArray(1, new byte[0]);
      out.writeString(2, "Failure");
      out.writeString(3, "workflows \"wf\" is forbidden");
      out.writeString(4, "Forbidden");
      out.writeByteArray(5, message(details -> {
        details.writeString(1, "wf");
        details.writeString(2, "argoproj.io");
        details.writeString(3, "workflows");
        details.writeByteArray(4, message(cause -> cause.writeString(2, "ignored")));
        details.writeInt32(5, 0);
      }));
      out.writeInt32(6, 403);
    });
    byte[] envelope = envelope("v1", "Status", status);

    JsonNode json = TestWorkflows.JSON.readTree(
        MetadataProtobuf.envelopeToJson(envelope, 0, envelope.length));

    assertThat(json.toString()).isEqualTo("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
        + "\"metadata\":{},\"status\":\"Failure\","
        + "\"message\":\"workflows \\\"wf\\\" is forbidden\","
        + "\"reason\":\"Forbidden\",\"details\":{\"name\":\"wf\",\"group\":\"argoproj.io\","
        + "\"kind\":\"workflows\"},\"code\":403}");
  }

  @Test
  void timestampNoCalendarHas_isMalformedNotACrash() throws Exception {
    byte[] objectMeta = message(out -> out.writeByteArray(8,
        message(time -> time.writeInt64(1, Long.MAX_VALUE))));
    byte[] envelope = envelope("meta.k8s.io/v1", "PartialObjectMetadata",
        message(out -> out.writeByteArray(1, objectMeta)));

    assertThatThrownBy(() -> MetadataProtobuf.envelopeToJson(envelope, 0, envelope.length))
        .isInstanceOf(MalformedProtobufException.class)
        .hasMessageContaining("into JSON");
  }

  private static String accepted(MetadataOnlyAccept accept, StandardHttpRequest request) {
    StandardHttpRequest.Builder builder = request.newBuilder();
    accept.before(builder, request, null);
    return builder.build().header("Accept");
  }

  /** A {@code WatchEvent} whose object is a {@code PartialObjectMetadata} with a name. */
  private static byte[] event(String type, String name, String resourceVersion)
      throws IOException {
    byte[] objectMeta = message(out -> {
      out.writeString(1, name);
      out.writeString(3, "ns");
      out.writeString(6, resourceVersion);
      out.writeByteArray(11, message(entry -> {
        entry.writeString(1, "workflows.argoproj.io/completed");
        entry.writeString(2, "true");
      }));
    });
    byte[] partial = message(out -> out.writeByteArray(1, objectMeta));
    byte[] object = envelope("meta.k8s.io/v1", "PartialObjectMetadata", partial);
    return message(out -> {
      out.writeString(1, type);
      out.writeByteArray(2, message(raw -> raw.writeByteArray(1, object)));
    });
  }

  private static byte[] envelope(String apiVersion, String kind, byte[] raw) {
    try {
      byte[] unknown = message(out -> {
        out.writeByteArray(1, message(typeMeta -> {
          typeMeta.writeString(1, apiVersion);
          typeMeta.writeString(2, kind);
        }));
        out.writeBytes(2, ByteString.copyFrom(raw));
        out.writeString(3, "");
        out.writeString(4, "");
      });
      byte[] all = Arrays.copyOf(MetadataProtobuf.MAGIC,
          MetadataProtobuf.MAGIC.length + unknown.length);
      System.arraycopy(unknown, 0, all, MetadataProtobuf.MAGIC.length, unknown.length);
      return all;
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] frame(byte[] event) {
    return ByteBuffer.allocate(4 + event.length).putInt(event.length).put(event).array();
  }

  private interface Writer {
    void write(CodedOutputStream out) throws IOException;
  }

  private static byte[] message(Writer writer) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    writer.write(out);
    out.flush();
    return bytes.toByteArray();
  }

  private static ByteBuffer bytes(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = ProtobufBodyTest.class.getResourceAsStream("/protobuf/" + name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }

  /** fabric8's side: keeps what it is given and asks for the next chunk, as fabric8 does. */
  private static final class Downstream implements AsyncBody.Consumer<List<ByteBuffer>> {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int calls;

    @Override
    public void consume(List<ByteBuffer> chunk, AsyncBody body) {
      calls++;
      for (ByteBuffer b : chunk) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        bytes.writeBytes(a);
      }
    }

    List<JsonNode> lines() {
      List<JsonNode> lines = new ArrayList<>();
      for (String line : bytes.toString(StandardCharsets.UTF_8).split("\n")) {
        lines.add(TestWorkflows.JSON.readTree(line));
      }
      return lines;
    }
  }

  /** The body's side: counts how often the next chunk is asked for past fabric8. */
  private static final class Chunks implements AsyncBody {
    final AtomicInteger asked = new AtomicInteger();

    @Override
    public void consume() {
      asked.incrementAndGet();
    }

    @Override
    public CompletableFuture<Void> done() {
      return new CompletableFuture<>();
    }

    @Override
    public void cancel() {}
  }
}
