package dev.archivist.core;

/**
 * Keeps secrets and stored data out of messages: every module that puts a JDBC URL or a
 * database's message into an error or a log line passes it through here first.
 */
public final class Redaction {
  private Redaction() {}

  /**
   * The URL with any {@code password=} parameter (separated by {@code &} or {@code ;}) and any
   * {@code user:password@} userinfo masked as {@code ****}; null stays null.
   */
  public static String url(String jdbcUrl) {
    if (jdbcUrl == null) {
      return null;
    }
    return jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1****")
        .replaceAll("//([^/@:]*):[^/@]*@", "//$1:****@");
  }

  /**
   * The first line of a database message: the primary message without details, context or
   * hints, which on PostgreSQL can quote the offending data; at most 300 characters.
   */
  public static String firstLine(String message) {
    if (message == null) {
      return "(no message)";
    }
    int nl = message.indexOf('\n');
    String line = nl < 0 ? message : message.substring(0, nl);
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }
}
