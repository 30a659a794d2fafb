package dev.archivist.controller.informer;

import dev.archivist.controller.informer.MetadataProtobuf.MalformedProtobufException;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the API server for metadata only: it sets the {@code Accept} header of every {@code GET}
 * so that a list answers a {@code PartialObjectMetadataList} and a watch streams
 * {@code PartialObjectMetadata} events. The API server then sends a workflow's
 * {@code metadata} (name, namespace, uid, resourceVersion, labels, annotations,
 * deletionTimestamp, ...) and never its spec or status, however large they are.
 *
 * <p>fabric8 offers metadata-only reads ({@code listAsPartialObjectMetadata}) but no
 * metadata-only informer, so this interceptor goes on a client used by informers only: every
 * {@code GET} of that client is a list or a watch of a collection. The metadata comes as
 * protobuf first, about two thirds of the bytes of its JSON, and is turned into that JSON on its
 * way to fabric8 ({@link ProtobufBody}); then as JSON; then plain {@code application/json}, so a
 * server that cannot convert answers full objects rather than 406 (the reduced item store then
 * still keeps only the key). A protobuf answer that cannot be read fails its request, and from
 * then on this client asks for JSON only.
 *
 * <p>Thread-safe.
 */
final class MetadataOnlyAccept implements Interceptor {
  private static final Logger log = LoggerFactory.getLogger(MetadataOnlyAccept.class);

  /** What a list asks for once a protobuf answer could not be read. */
  static final String LIST_JSON =
      "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";
  /** What a watch asks for once a protobuf answer could not be read. */
  static final String WATCH_JSON =
      "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json";
  /** What a list asks for: protobuf first, then the JSON that {@link #LIST_JSON} asks for. */
  static final String LIST =
      "application/vnd.kubernetes.protobuf;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,"
          + LIST_JSON;
  /** What a watch asks for: each event's object is one {@code PartialObjectMetadata}. */
  static final String WATCH =
      "application/vnd.kubernetes.protobuf;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,"
          + WATCH_JSON;

  /** The name under which the interceptor is registered on a client builder. */
  static final String NAME = "archivist-metadata-only";

  private final AtomicBoolean protobuf;

  /** Asks for protobuf first. */
  MetadataOnlyAccept() {
    this(true);
  }

  /** Asks for protobuf first when {@code protobuf}, else for JSON only. */
  MetadataOnlyAccept(boolean protobuf) {
    this.protobuf = new AtomicBoolean(protobuf);
  }

  /** Whether requests still ask for protobuf first. */
  boolean asksForProtobuf() {
    return protobuf.get();
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    if (!"GET".equals(request.method())) {
      return;
    }
    boolean watch = isWatch(request);
    if (protobuf.get()) {
      builder.setHeader("Accept", watch ? WATCH : LIST);
    } else {
      builder.setHeader("Accept", watch ? WATCH_JSON : LIST_JSON);
    }
  }

  @Override
  public AsyncBody.Consumer<List<ByteBuffer>> consumer(
      AsyncBody.Consumer<List<ByteBuffer>> consumer, HttpRequest request) {
    if (!"GET".equals(request.method())) {
      return consumer;
    }
    return new ProtobufBody(consumer, isWatch(request), this::refuse);
  }

  private void refuse(MalformedProtobufException e) {
    if (protobuf.getAndSet(false)) {
      log.warn("informers: a protobuf answer of the API server could not be read ({}); asking"
          + " for JSON from now on", e.getMessage());
    }
  }

  /** fabric8 marks an HTTP watch with the query parameter {@code watch=true}. */
  static boolean isWatch(HttpRequest request) {
    String query = request.uri().getRawQuery();
    if (query == null) {
      return false;
    }
    for (String param : query.split("&")) {
      if (param.equals("watch=true") || param.equals("watch=1")) {
        return true;
      }
    }
    return false;
  }
}
