package dev.archivist.store;

/**
 * PostgreSQL's {@code jsonb} cannot hold the character U+0000, written {@code \u0000} in JSON
 * text. Like Argo, we store the token {@value #TOKEN} in its place and put the escape back when we
 * read, so Argo Server and Archivist read each other's rows the same way.
 *
 * <p>Unlike a plain text replace, {@link #escape} only replaces a {@code \u0000} escape, not the
 * text {@code \\u0000} (an escaped backslash followed by "u0000"), which is not a NUL.
 */
final class PostgresNul {
  /** Argo's replacement token (persist/sqldb/workflow_archive.go). */
  static final String TOKEN = "ARGO_POSTGRES_NULL_REPLACEMENT";
  private static final String ESCAPE = "\\u0000";

  private PostgresNul() {}

  static String escape(String json) {
    int i = json.indexOf(ESCAPE);
    if (i < 0) {
      return json;
    }
    StringBuilder sb = new StringBuilder(json.length());
    int from = 0;
    while (i >= 0) {
      if (precededByOddBackslashes(json, i)) {
        // "\\u0000": the backslash at i is itself escaped; not a NUL.
        i = json.indexOf(ESCAPE, i + 1);
        continue;
      }
      sb.append(json, from, i).append(TOKEN);
      from = i + ESCAPE.length();
      i = json.indexOf(ESCAPE, from);
    }
    return sb.append(json, from, json.length()).toString();
  }

  static String unescape(String json) {
    return json.contains(TOKEN) ? json.replace(TOKEN, ESCAPE) : json;
  }

  private static boolean precededByOddBackslashes(String s, int index) {
    int n = 0;
    for (int j = index - 1; j >= 0 && s.charAt(j) == '\\'; j--) {
      n++;
    }
    return (n & 1) == 1;
  }
}
