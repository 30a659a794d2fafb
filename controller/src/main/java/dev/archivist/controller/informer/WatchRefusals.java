package dev.archivist.controller.informer;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Remembers which scopes' watches the API server refuses (HTTP 403). fabric8's watch manager
 * retries a refused watch by itself, forever, and never tells the informer; only the HTTP
 * exchange shows it. So this interceptor, on the informers' own client, notes the answer to every
 * watch request: a 403 marks its scope refused (and calls {@code onRefused} the first time), a
 * success clears it.
 *
 * <p>Thread-safe: the HTTP client's threads write, readiness reads; the map is concurrent and
 * {@code onRefused} (a log line) runs on the HTTP thread, under no lock of ours.
 */
final class WatchRefusals implements Interceptor {
  /** The name under which the interceptor is registered on a client builder. */
  static final String NAME = "archivist-watch-refusals";

  private static final String NAMESPACES = "/namespaces/";

  /** Scope ({@code "*"} for all namespaces) to whether its last watch request was refused. */
  private final Map<String, Boolean> refused = new ConcurrentHashMap<>();
  private final Consumer<String> onRefused;

  /** @param onRefused called with the scope when its watch is refused after not being so */
  WatchRefusals(Consumer<String> onRefused) {
    this.onRefused = Objects.requireNonNull(onRefused, "onRefused");
  }

  @Override
  public void after(HttpRequest request, HttpResponse<?> response,
      AsyncBody.Consumer<List<ByteBuffer>> consumer) {
    if (!"GET".equals(request.method()) || !MetadataOnlyAccept.isWatch(request)) {
      return;
    }
    String scope = scope(request.uri().getRawPath());
    if (response.code() == 403) {
      if (refused.put(scope, Boolean.TRUE) == null) {
        onRefused.accept(scope);
      }
    } else if (response.isSuccessful()) {
      refused.remove(scope);
    }
  }

  /** Whether the last watch of {@code scope} ({@code "*"}: all namespaces) was refused. */
  boolean isRefused(String scope) {
    return refused.containsKey(scope);
  }

  /** The namespace of a collection path ({@code .../namespaces/x/workflows}), else {@code "*"}. */
  static String scope(String path) {
    int at = path == null ? -1 : path.indexOf(NAMESPACES);
    if (at < 0) {
      return "*";
    }
    int start = at + NAMESPACES.length();
    int end = path.indexOf('/', start);
    return end < 0 ? path.substring(start) : path.substring(start, end);
  }
}
