package dev.archivist.controller.informer;

import dev.archivist.controller.kube.KubeOutages;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * Reports the informers' requests to {@link KubeOutages}: no answer at all (a refused or cut
 * connection, a timeout) and the outage codes count as failures, any other answer as a success.
 * fabric8's watch manager reconnects a broken watch by itself and tells the informer nothing, so
 * while the API server is unreachable the informers look as if they still watched; this is where
 * readiness learns otherwise.
 *
 * <p>Thread-safe: it only forwards to {@code KubeOutages}, which is.
 */
final class OutageReports implements Interceptor {
  /** The name under which the interceptor is registered on a client builder. */
  static final String NAME = "archivist-outage-reports";

  private final KubeOutages outages;

  OutageReports(KubeOutages outages) {
    this.outages = Objects.requireNonNull(outages, "outages");
  }

  @Override
  public void after(HttpRequest request, HttpResponse<?> response,
      AsyncBody.Consumer<List<ByteBuffer>> consumer) {
    int code = response.code();
    if (KubeOutages.isOutage(code)) {
      outages.failed(code, "informers: HTTP " + code + " for " + describe(request));
    } else {
      outages.succeeded();
    }
  }

  @Override
  public void afterConnectionFailure(HttpRequest request, Throwable failure) {
    outages.failed(0, "informers: no answer to " + describe(request) + ": " + failure);
  }

  private static String describe(HttpRequest request) {
    return request.method() + " " + request.uri().getRawPath()
        + (MetadataOnlyAccept.isWatch(request) ? " (watch)" : "");
  }
}
