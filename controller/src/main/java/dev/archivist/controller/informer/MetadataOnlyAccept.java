package dev.archivist.controller.informer;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;

/**
 * Asks the API server for metadata only: it sets the {@code Accept} header of every {@code GET}
 * so that a list answers a {@code PartialObjectMetadataList} and a watch streams
 * {@code PartialObjectMetadata} events. The API server then sends a workflow's
 * {@code metadata} (name, namespace, uid, resourceVersion, labels, annotations,
 * deletionTimestamp, ...) and never its spec or status, however large they are.
 *
 * <p>fabric8 offers metadata-only reads ({@code listAsPartialObjectMetadata}) but no
 * metadata-only informer, so this interceptor goes on a client used by informers only: every
 * {@code GET} of that client is a list or a watch of a collection. Each media type is followed by
 * plain {@code application/json}, so a server that cannot convert answers full objects rather
 * than 406 (the reduced item store then still keeps only the key).
 *
 * <p>Stateless and thread-safe.
 */
final class MetadataOnlyAccept implements Interceptor {
  /** What a list asks for. */
  static final String LIST =
      "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";
  /** What a watch asks for: each event's object is one {@code PartialObjectMetadata}. */
  static final String WATCH =
      "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json";

  /** The name under which the interceptor is registered on a client builder. */
  static final String NAME = "archivist-metadata-only";

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    if (!"GET".equals(request.method())) {
      return;
    }
    builder.setHeader("Accept", isWatch(request) ? WATCH : LIST);
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
