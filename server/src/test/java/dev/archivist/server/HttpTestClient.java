package dev.archivist.server;

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

/** Real HTTP over loopback to a running {@link ArchiveServer}. */
final class HttpTestClient {
  private final HttpClient client = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final int port;
  private final String base;
  private final String token;

  HttpTestClient(int port, String token) {
    this.port = port;
    this.base = "http://127.0.0.1:" + port;
    this.token = token;
  }

  HttpTestClient(int port) {
    this(port, null);
  }

  int port() {
    return port;
  }

  /** A response, read whole. */
  record Response(int status, java.net.http.HttpHeaders headers, String body) {
    JsonNode json() {
      return TestWorkflows.MAPPER.readTree(body);
    }

    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    /** For assertion messages. */
    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  /** {@code path} is sent as given, so it must already be encoded; see {@link #enc}. */
  Response get(String path, String... headerPairs) {
    return send("GET", path, headerPairs);
  }

  Response delete(String path, String... headerPairs) {
    return send("DELETE", path, headerPairs);
  }

  Response send(String method, String path, String... headerPairs) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    for (int i = 0; i < headerPairs.length; i += 2) {
      request.header(headerPairs[i], headerPairs[i + 1]);
    }
    try {
      HttpResponse<String> response = client.send(request.build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Response(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during " + method + " " + path, e);
    }
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
