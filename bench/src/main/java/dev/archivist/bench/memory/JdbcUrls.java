package dev.archivist.bench.memory;

import dev.archivist.core.Redaction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Small, pure manipulations of PostgreSQL JDBC URLs. */
final class JdbcUrls {
  private static final Pattern PG = Pattern.compile(
      "^jdbc:postgresql://([^/?]+)/([^?]+)(\\?.*)?$");

  private JdbcUrls() {}

  /** The database name of a {@code jdbc:postgresql://host/db?...} URL. */
  static String database(String url) {
    return matcher(url).group(2);
  }

  /** The same server and parameters, but the {@code postgres} maintenance database. */
  static String maintenance(String url) {
    Matcher m = matcher(url);
    return "jdbc:postgresql://" + m.group(1) + "/postgres" + (m.group(3) == null ? "" : m.group(3));
  }

  /** The URL with {@code currentSchema} set to {@code schema} (replacing any given). */
  static String withSchema(String url, String schema) {
    String stripped = url.replaceAll("([?&])currentSchema=[^&]*&?", "$1").replaceAll("[?&]$", "");
    return stripped + (stripped.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  private static Matcher matcher(String url) {
    Matcher m = PG.matcher(url);
    if (!m.matches()) {
      throw new IllegalArgumentException("--db must look like"
          + " jdbc:postgresql://host:port/database?user=..., got '" + Redaction.url(url) + "'");
    }
    return m;
  }
}
