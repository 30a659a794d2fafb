package dev.archivist.controller.informer;

import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Notices a watch that the API server accepts and then ends again and again without moving on:
 * the same scope watched from the same resourceVersion, answered each time, {@value #REPEATS}
 * times within {@link #WINDOW}.
 *
 * <p>fabric8's watch manager resumes a watch from the resourceVersion it last saw, and lists
 * again only when the API server says {@code 410 Gone}. Any other error status inside the watch
 * stream (a {@code 500}, say) is logged and the same watch is sent again, forever; the informer
 * is never told. A real API server does answer that way: a watch resumed from the revision just
 * before an etcd compaction, whose first event is a deletion whose previous version the
 * compaction removed, fails with {@code 500} on every attempt (see {@code docs/reliability.md}).
 * Until something lists again, no new workflow reaches the controller. A healthy watch that
 * sees no events lasts for minutes before the API server ends it, so {@value #REPEATS} answered
 * attempts from one resourceVersion in {@link #WINDOW} mean the watch cannot go on; the owner is
 * told once ({@code onStall}) and is expected to list that scope again.
 *
 * <p>Only answered watches count: while the API server is unreachable fabric8 resends the watch
 * too, but each attempt fails without an answer ({@link OutageReports} tells readiness) and a
 * list would fail the same way.
 *
 * <p>Thread-safe: the HTTP client's threads call {@link #after}; each scope's record is replaced
 * atomically in a concurrent map, and {@code onStall} runs on the HTTP thread, so it must only
 * hand the work off.
 */
final class WatchStalls implements Interceptor {
  /** The name under which the interceptor is registered on a client builder. */
  static final String NAME = "archivist-watch-stalls";
  /** Answered watches from one resourceVersion that make a stall. */
  static final int REPEATS = 4;
  /** The time within which they make one. */
  static final Duration WINDOW = Duration.ofMinutes(5);

  /** A scope's current run of watches from one resourceVersion. */
  private record Run(String resourceVersion, int count, long firstNanos) {}

  /** What the owner is told about a stalled watch. */
  @FunctionalInterface
  interface Listener {
    /** {@code scope} ({@code "*"}: all namespaces) has watched {@code attempts} times from
     *  {@code resourceVersion} in {@code over}, each attempt answered and ended. */
    void stalled(String scope, String resourceVersion, int attempts, Duration over);
  }

  private final Map<String, Run> runs = new ConcurrentHashMap<>();
  private final Listener onStall;
  private final LongSupplier nanoTime;

  WatchStalls(Listener onStall) {
    this(onStall, System::nanoTime);
  }

  WatchStalls(Listener onStall, LongSupplier nanoTime) {
    this.onStall = Objects.requireNonNull(onStall, "onStall");
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
  }

  @Override
  public void after(HttpRequest request, HttpResponse<?> response,
      AsyncBody.Consumer<List<ByteBuffer>> consumer) {
    if (!"GET".equals(request.method()) || !MetadataOnlyAccept.isWatch(request)
        || !response.isSuccessful()) {
      return;
    }
    String rv = resourceVersion(request.uri().getRawQuery());
    if (rv == null || rv.isEmpty() || "0".equals(rv)) {
      return;
    }
    String scope = WatchRefusals.scope(request.uri().getRawPath());
    long now = nanoTime.getAsLong();
    Run run = runs.compute(scope, (s, last) -> last == null
        || !last.resourceVersion().equals(rv) || now - last.firstNanos() > WINDOW.toNanos()
        ? new Run(rv, 1, now) : new Run(rv, last.count() + 1, last.firstNanos()));
    if (run.count() >= REPEATS && runs.remove(scope, run)) {
      onStall.stalled(scope, rv, run.count(), Duration.ofNanos(now - run.firstNanos()));
    }
  }

  /** Forgets {@code scope}'s watches, when a fresh list starts over for it. */
  void reset(String scope) {
    runs.remove(scope);
  }

  /** The {@code resourceVersion} query parameter, decoded, or null. */
  static String resourceVersion(String rawQuery) {
    if (rawQuery == null) {
      return null;
    }
    for (String param : rawQuery.split("&")) {
      if (param.startsWith("resourceVersion=")) {
        return URLDecoder.decode(param.substring("resourceVersion=".length()),
            StandardCharsets.UTF_8);
      }
    }
    return null;
  }
}
