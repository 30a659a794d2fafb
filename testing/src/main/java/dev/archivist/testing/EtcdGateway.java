package dev.archivist.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * etcd's JSON gateway on a loopback port: reads the current revision and compacts, so that a watch
 * or a list continuation from any older resourceVersion gets 410 Gone. Used by the tests' own API
 * server and by the chaos benchmark's.
 *
 * <p>Thread-safety: safe; each call is one HTTP request.
 */
public final class EtcdGateway {
  private static final Pattern REVISION = Pattern.compile("\"revision\"\\s*:\\s*\"?(\\d+)");

  private final int port;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  /** The gateway of the etcd listening for clients on {@code 127.0.0.1:port}. */
  public EtcdGateway(int port) {
    this.port = port;
  }

  /** etcd's current revision: the resourceVersion of the last write to it. */
  public long revision() {
    String range = post("/v3/kv/range", "{\"key\":\"AA==\",\"count_only\":true}");
    Matcher m = REVISION.matcher(range);
    if (!m.find()) {
      throw new IllegalStateException("etcd's range answer has no header revision: " + range);
    }
    return Long.parseLong(m.group(1));
  }

  /**
   * Compacts etcd at its current revision.
   *
   * @return the revision compacted at
   */
  public long compact() {
    return compact(revision());
  }

  /** Compacts etcd at {@code revision}, which must not be above the current one. */
  public long compact(long revision) {
    post("/v3/kv/compaction", "{\"revision\":\"" + revision + "\",\"physical\":true}");
    return revision;
  }

  private String post(String path, String body) {
    URI uri = URI.create("http://127.0.0.1:" + port + path);
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri)
          .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("etcd " + uri + " answered HTTP " + r.statusCode() + ": "
            + r.body());
      }
      return r.body();
    } catch (IOException e) {
      throw new UncheckedIOException("etcd " + uri + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while calling etcd " + uri, e);
    }
  }
}
