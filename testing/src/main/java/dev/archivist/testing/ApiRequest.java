package dev.archivist.testing;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One request the test API server's audit log recorded (workflows and leases only): who asked,
 * what, and what the server answered. A watch is recorded when it starts.
 *
 * @param verb the API verb: {@code list}, {@code watch}, {@code get}, {@code patch}, ...
 * @param uri the request URI with its query ({@code limit}, {@code continue}, selectors)
 * @param user the authenticated user name ({@code system:serviceaccount:<ns>:<name>} for a
 *     ServiceAccount token)
 * @param userAgent the client's User-Agent header
 * @param resource {@code workflows} or {@code leases}
 * @param namespace the namespace in the URI, or empty for a request across namespaces
 * @param name the object's name, or empty for a collection
 * @param code the HTTP status of the answer (200 for a watch that started)
 */
public record ApiRequest(String verb, String uri, String user, String userAgent, String resource,
    String namespace, String name, int code) {

  /** The URI's query parameters, decoded; an absent parameter is absent from the map. */
  public Map<String, String> query() {
    Map<String, String> q = new LinkedHashMap<>();
    int i = uri.indexOf('?');
    if (i < 0) {
      return q;
    }
    for (String pair : uri.substring(i + 1).split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      q.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v,
          StandardCharsets.UTF_8));
    }
    return q;
  }
}
