package dev.archivist.controller.informer;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.StandardHttpRequest;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Which run of watch requests makes a stall, and which does not. */
class WatchStallsTest {
  private static final String NS = "/apis/argoproj.io/v1alpha1/namespaces/team-a/workflows";
  private static final String ALL = "/apis/argoproj.io/v1alpha1/workflows";

  private final AtomicLong now = new AtomicLong();
  private final List<String> stalls = new ArrayList<>();
  private final WatchStalls stallsSeen = new WatchStalls(
      (scope, rv, attempts, over) -> stalls.add(scope + "@" + rv + "x" + attempts), now::get);

  @Test
  void answeredWatchesFromOneResourceVersion_fourWithinTheWindow_areOneStall() {
    for (int i = 0; i < WatchStalls.REPEATS; i++) {
      watch(NS, "41", 200);
      now.addAndGet(Duration.ofSeconds(8).toNanos());
    }
    assertThat(stalls).containsExactly("team-a@41x4");

    // Told once; the run starts again from nothing.
    watch(NS, "41", 200);
    assertThat(stalls).hasSize(1);
  }

  @Test
  void watchesThatMoveOn_neverAStall() {
    for (int i = 0; i < 10; i++) {
      watch(NS, Integer.toString(100 + i), 200);
    }
    assertThat(stalls).isEmpty();
  }

  @Test
  void aQuietWatchEndedByItsTimeout_everyFiveMinutesFromOneResourceVersion_isNotAStall() {
    for (int i = 0; i < 10; i++) {
      watch(NS, "7", 200);
      now.addAndGet(Duration.ofMinutes(5).toNanos());
    }
    assertThat(stalls).isEmpty();
  }

  @Test
  void unansweredOrRefusedWatches_andLists_doNotCount() {
    for (int i = 0; i < 10; i++) {
      watch(NS, "9", 403);
      watch(NS, "9", 503);
      stallsSeen.after(request(NS + "?labelSelector=a&resourceVersion=9"), response(200), null);
    }
    assertThat(stalls).isEmpty();
  }

  @Test
  void scopesAreCountedApart_andResetForgetsOne() {
    for (int i = 0; i < WatchStalls.REPEATS - 1; i++) {
      watch(NS, "5", 200);
      watch(ALL, "5", 200);
    }
    stallsSeen.reset("team-a");
    watch(NS, "5", 200);
    watch(ALL, "5", 200);
    assertThat(stalls).containsExactly("*@5x4");
  }

  @Test
  void resourceVersion_readFromTheQuery() {
    assertThat(WatchStalls.resourceVersion("watch=true&resourceVersion=12%2034&limit=1"))
        .isEqualTo("12 34");
    assertThat(WatchStalls.resourceVersion("watch=true")).isNull();
    assertThat(WatchStalls.resourceVersion(null)).isNull();
  }

  private void watch(String path, String rv, int code) {
    stallsSeen.after(request(path + "?allowWatchBookmarks=true&labelSelector=x&resourceVersion="
        + rv + "&timeoutSeconds=600&watch=true"), response(code), null);
  }

  private static HttpRequest request(String pathAndQuery) {
    return new StandardHttpRequest.Builder()
        .uri(URI.create("https://127.0.0.1:6443" + pathAndQuery)).build();
  }

  private static HttpResponse<?> response(int code) {
    return new HttpResponse<Object>() {
      @Override
      public int code() {
        return code;
      }

      @Override
      public Object body() {
        return null;
      }

      @Override
      public HttpRequest request() {
        return null;
      }

      @Override
      public Optional<HttpResponse<?>> previousResponse() {
        return Optional.empty();
      }

      @Override
      public List<String> headers(String key) {
        return List.of();
      }

      @Override
      public Map<String, List<String>> headers() {
        return Map.of();
      }
    };
  }
}
