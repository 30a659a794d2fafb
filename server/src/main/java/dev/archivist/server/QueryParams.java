package dev.archivist.server;

import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * The decoded query string of one request, read one parameter at a time. A parameter given twice
 * is refused rather than silently picking one of the values.
 */
final class QueryParams {
  private final Map<String, List<String>> params;

  QueryParams(Map<String, List<String>> params) {
    this.params = Map.copyOf(params);
  }

  /**
   * The request's parameters. A malformed percent-escape is refused: the servlet container
   * would otherwise drop or garble that parameter, and the request would silently mean
   * something else.
   */
  static QueryParams of(Context ctx) {
    checkEscapes(ctx.queryString());
    return new QueryParams(ctx.queryParamMap());
  }

  static void checkEscapes(String rawQuery) {
    if (rawQuery == null) {
      return;
    }
    for (int i = rawQuery.indexOf('%'); i >= 0; i = rawQuery.indexOf('%', i + 1)) {
      if (i + 2 >= rawQuery.length() || !isHex(rawQuery.charAt(i + 1))
          || !isHex(rawQuery.charAt(i + 2))) {
        throw ApiException.badRequest("the query string has a malformed percent-escape at"
            + " position " + i + " (\"" + rawQuery.substring(i, Math.min(i + 3,
            rawQuery.length())) + "\"); encode '%' as %25");
      }
    }
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /** The value, or null when the parameter is absent or empty. */
  String single(String name) {
    List<String> values = params.get(name);
    if (values == null || values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      throw ApiException.badRequest(name + " is given " + values.size()
          + " times; give it at most once");
    }
    String value = values.get(0);
    if (value != null && value.indexOf('\0') >= 0) {
      // No archived name, namespace or label holds one, and PostgreSQL refuses it in any text.
      throw ApiException.badRequest(name + " must not contain a NUL character (%00)");
    }
    return value == null || value.isEmpty() ? null : value;
  }

  Iterable<String> names() {
    return params.keySet();
  }
}
