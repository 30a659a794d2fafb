package dev.archivist.app;

import dev.archivist.store.ListQuery;
import dev.archivist.store.NameFilter;
import dev.archivist.store.Page;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link ArchiveAccess} over a server's Argo-shaped HTTP API (docs/api.md), with an optional
 * bearer token. HTTP 404 is "not found", 400 is bad input (exit 2), other failures exit 1 with
 * the server's message.
 */
final class ServerAccess implements ArchiveAccess {
  private static final String PATH = "/api/v1/archived-workflows";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final URI base;
  private final String token;
  private final HttpClient http;
  private final JsonMapper json = JsonMapper.builder().build();

  ServerAccess(URI base, String token) {
    String s = base.toString();
    this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    this.token = token;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  @Override
  public Page list(ListQuery q) {
    Map<String, String> params = new LinkedHashMap<>();
    if (q.namespace() != null) {
      params.put("namespace", q.namespace());
    }
    if (q.name() != null) {
      if (q.nameFilter() == NameFilter.PREFIX) {
        params.put("namePrefix", q.name());
      } else {
        params.put("name", q.name());
        params.put("nameFilter", q.nameFilter() == NameFilter.EXACT ? "Exact" : "Contains");
      }
    }
    if (!q.selector().isEmpty()) {
      params.put("listOptions.labelSelector", q.selector().toString());
    }
    List<String> fields = new ArrayList<>();
    if (q.startedAfter() != null) {
      fields.add("spec.startedAt>" + q.startedAfter());
    }
    if (q.startedBefore() != null) {
      fields.add("spec.startedAt<" + q.startedBefore());
    }
    if (!fields.isEmpty()) {
      params.put("listOptions.fieldSelector", String.join(",", fields));
    }
    params.put("listOptions.limit", Integer.toString(q.limit()));
    if (q.continueToken() != null) {
      params.put("listOptions.continue", q.continueToken());
    }
    JsonNode body = send("GET", PATH + query(params)).orElseThrow(
        () -> new CommandFailedException(ExitCodes.ERROR, base + PATH + " answered 404; is "
            + base + " an archivist server?"));
    List<ObjectNode> items = new ArrayList<>();
    for (JsonNode item : body.path("items")) {
      if (item instanceof ObjectNode o) {
        items.add(o);
      }
    }
    String next = body.path("metadata").path("continue").asString("");
    return new Page(items, next.isEmpty() ? null : next);
  }

  @Override
  public Optional<ObjectNode> get(String uid) {
    return send("GET", PATH + "/" + encode(uid)).map(ObjectNode.class::cast);
  }

  @Override
  public Optional<ObjectNode> getLatest(String namespace, String name) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("namespace", namespace);
    params.put("name", name);
    return send("GET", PATH + "/" + query(params)).map(ObjectNode.class::cast);
  }

  @Override
  public boolean delete(String uid) {
    return send("DELETE", PATH + "/" + encode(uid)).isPresent();
  }

  @Override
  public List<ObjectNode> quarantine() {
    JsonNode body = send("GET", "/api/v1/quarantine").orElseThrow(
        () -> new CommandFailedException(ExitCodes.ERROR, base + " has no quarantine (404):"
            + " only 'archivist run' reports one; 'serve' runs no controller"));
    List<ObjectNode> items = new ArrayList<>();
    for (JsonNode item : body.path("items")) {
      if (item instanceof ObjectNode o) {
        items.add(o);
      }
    }
    return items;
  }

  @Override
  public void close() {
    // The JDK client's threads are daemons; nothing to release.
  }

  /** The parsed body, empty on 404. */
  private Optional<JsonNode> send(String method, String pathAndQuery) {
    URI uri = URI.create(base + pathAndQuery);
    HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
        .header("Accept", "application/json")
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      req.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> resp;
    try {
      resp = http.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (ConnectException e) {
      throw new CommandFailedException(ExitCodes.ERROR, "cannot reach the archivist server at "
          + base + " (connection refused); is it running?", e);
    } catch (HttpTimeoutException e) {
      throw new CommandFailedException(ExitCodes.ERROR, method + " " + uri + " timed out after "
          + TIMEOUT.toSeconds() + " s", e);
    } catch (IOException e) {
      throw new CommandFailedException(ExitCodes.ERROR, "cannot reach the archivist server at "
          + base, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CommandFailedException(ExitCodes.ERROR, "interrupted during " + method + " "
          + uri, e);
    }
    int status = resp.statusCode();
    if (status == 404) {
      return Optional.empty();
    }
    if (status / 100 != 2) {
      String message = errorMessage(resp.body());
      int code = status == 400 ? ExitCodes.USAGE : ExitCodes.ERROR;
      String hint = status == 401 ? " (give the server's token with --token-file)" : "";
      throw new CommandFailedException(code, method + " " + uri.getPath() + " failed: HTTP "
          + status + ": " + message + hint);
    }
    if (resp.body().isBlank()) {
      return Optional.of(json.createObjectNode());
    }
    try {
      return Optional.of(json.readTree(resp.body()));
    } catch (JacksonException e) {
      throw new CommandFailedException(ExitCodes.ERROR, method + " " + uri.getPath()
          + " answered HTTP " + status + " with a body that is not JSON", e);
    }
  }

  private String errorMessage(String body) {
    try {
      JsonNode node = json.readTree(body);
      for (String field : List.of("message", "error")) {
        String m = node.path(field).asString("");
        if (!m.isEmpty()) {
          return m;
        }
      }
    } catch (JacksonException notJson) {
      // Fall through to the raw body.
    }
    String b = body.strip();
    return b.length() > 300 ? b.substring(0, 300) + "..." : b;
  }

  private static String query(Map<String, String> params) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : params.entrySet()) {
      sb.append(sb.length() == 0 ? '?' : '&').append(encode(e.getKey())).append('=')
          .append(encode(e.getValue()));
    }
    return sb.toString();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
