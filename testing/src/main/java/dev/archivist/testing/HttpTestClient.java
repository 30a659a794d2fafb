package dev.archivist.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Real HTTP to a server under test, with its bearer token if any; answers are read whole.
 * Failures to connect name the request, and the server's label when it has one.
 */
public final class HttpTestClient {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient client = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String token;
  private final String label;
  private final Predicate<Response> transientAnswer;
  private final Duration retryBudget;

  /**
   * @param base the server's URL without a path, such as {@code http://127.0.0.1:8080}
   * @param token the bearer token of every request; null for none
   * @param label names the server in failures; null for none
   */
  public HttpTestClient(String base, String token, String label) {
    this(base, token, label, r -> false, Duration.ZERO);
  }

  private HttpTestClient(String base, String token, String label,
      Predicate<Response> transientAnswer, Duration retryBudget) {
    this.base = base;
    this.token = token;
    this.label = label;
    this.transientAnswer = transientAnswer;
    this.retryBudget = retryBudget;
  }

  /**
   * This client, but a request whose answer {@code transientAnswer} calls transient is sent
   * again, with a growing pause, for up to {@code budget}; after that its last answer is
   * returned as it is, so the test's own assertion reports it. For a peer whose answers say
   * "try again" by contract, never for the server under test.
   */
  public HttpTestClient retrying(Predicate<Response> transientAnswer, Duration budget) {
    return new HttpTestClient(base, token, label, transientAnswer, budget);
  }

  /** To the loopback port {@code port}. */
  public HttpTestClient(int port, String token) {
    this("http://127.0.0.1:" + port, token, null);
  }

  public HttpTestClient(int port) {
    this(port, null);
  }

  public int port() {
    return URI.create(base).getPort();
  }

  /** A response, read whole. */
  public record Response(int status, HttpHeaders headers, String body) {
    public JsonNode json() {
      return JSON.readTree(body);
    }

    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    /** The body's start, for assertion messages about large answers. */
    public String bodyStart() {
      return body.length() <= 300 ? body : body.substring(0, 300) + "…";
    }

    /** For assertion messages. */
    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  /** {@code path} is sent as given, so it must already be encoded; see {@link #enc}. */
  public Response get(String path, String... headerPairs) {
    return send("GET", path, headerPairs);
  }

  public Response delete(String path, String... headerPairs) {
    return send("DELETE", path, headerPairs);
  }

  /** The JSON answer of a GET that must succeed; another status fails the test. */
  public JsonNode getJson(String path) {
    Response r = get(path);
    if (r.status() != 200) {
      throw new AssertionError(prefix() + "GET " + path + " answered " + r.status() + ": "
          + r.bodyStart());
    }
    return r.json();
  }

  public Response send(String method, String path, String... headerPairs) {
    AtomicReference<Response> answer =
        new AtomicReference<>(sendOnce(method, path, headerPairs));
    if (transientAnswer.test(answer.get()) && !retryBudget.isZero()) {
      try {
        Awaitility.await().atMost(retryBudget).pollInterval(Duration.ofMillis(250))
            .until(() -> !transientAnswer.test(
                answer.updateAndGet(a -> sendOnce(method, path, headerPairs))));
      } catch (ConditionTimeoutException e) {
        // Still transient after the budget: the last answer goes back as it is.
      }
    }
    return answer.get();
  }

  private Response sendOnce(String method, String path, String... headerPairs) {
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
      throw new UncheckedIOException(prefix() + method + " " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(prefix() + "interrupted during " + method + " " + path, e);
    }
  }

  public static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private String prefix() {
    return label == null ? "" : label + ": ";
  }

  @Override
  public String toString() {
    return label == null ? base : label;
  }
}
