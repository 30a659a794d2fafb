package dev.archivist.testing;

import dev.archivist.core.Redaction;

/** Small, dependency-free edits of JDBC URLs of the form {@code jdbc:x://host:port/db?k=v&...}. */
final class JdbcUrls {
  private JdbcUrls() {}

  /** The scheme after {@code jdbc:}, e.g. {@code postgresql}. */
  static String scheme(String url) {
    if (!url.startsWith("jdbc:")) {
      throw new IllegalArgumentException("not a JDBC URL: " + Redaction.url(url));
    }
    int colon = url.indexOf(':', 5);
    if (colon < 0) {
      throw new IllegalArgumentException("not a JDBC URL: " + Redaction.url(url));
    }
    return url.substring(5, colon);
  }

  /** Adds or replaces one query parameter. */
  static String withParameter(String url, String key, String value) {
    int q = url.indexOf('?');
    String base = q < 0 ? url : url.substring(0, q);
    StringBuilder query = new StringBuilder();
    if (q >= 0) {
      for (String pair : url.substring(q + 1).split("&")) {
        if (pair.isEmpty() || pair.startsWith(key + "=") || pair.equals(key)) {
          continue;
        }
        query.append(query.length() == 0 ? "" : "&").append(pair);
      }
    }
    query.append(query.length() == 0 ? "" : "&").append(key).append('=').append(value);
    return base + "?" + query;
  }

  /** Replaces the database (the path after host:port). */
  static String withDatabase(String url, String database) {
    int q = url.indexOf('?');
    String base = q < 0 ? url : url.substring(0, q);
    String query = q < 0 ? "" : url.substring(q);
    int hostStart = base.indexOf("//");
    if (hostStart < 0) {
      throw new IllegalArgumentException("expected jdbc:scheme://host[:port]/database in "
          + Redaction.url(url));
    }
    int slash = base.indexOf('/', hostStart + 2);
    String hostPart = slash < 0 ? base : base.substring(0, slash);
    return hostPart + "/" + database + query;
  }
}
