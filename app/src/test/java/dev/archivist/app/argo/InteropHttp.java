package dev.archivist.app.argo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import tools.jackson.databind.JsonNode;

/** GETs over loopback to one of the two servers compared, with its bearer token if any. */
final class InteropHttp {
  private final HttpClient client = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String token;
  private final String label;

  InteropHttp(String base, String token, String label) {
    this.base = base;
    this.token = token;
    this.label = label;
  }

  record Response(int status, String body) {
    JsonNode json() {
      return InteropWorkflows.JSON.readTree(body);
    }

    String bodyStart() {
      return body.length() <= 300 ? body : body.substring(0, 300) + "…";
    }
  }

  /** {@code path} must already be encoded; see {@link #enc}. */
  Response get(String path) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(30)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> r = client.send(request.build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Response(r.statusCode(), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(label + ": GET " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(label + ": interrupted during GET " + path, e);
    }
  }

  /** The JSON answer of a GET that must succeed. */
  JsonNode getJson(String path) {
    Response r = get(path);
    if (r.status() != 200) {
      throw new AssertionError(label + ": GET " + path + " answered " + r.status() + ": "
          + r.bodyStart());
    }
    return r.json();
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return label;
  }
}
