package dev.archivist.store;

/** Keeps secrets out of messages. */
final class Redaction {
  private Redaction() {}

  /** The URL with any password parameter (and user:password@ userinfo) masked. */
  static String url(String jdbcUrl) {
    if (jdbcUrl == null) {
      return null;
    }
    return jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1****")
        .replaceAll("//([^/@:]*):[^/@]*@", "//$1:****@");
  }

  /**
   * The first line of a database message: the primary message without details, context or
   * hints, which on PostgreSQL can quote the offending data.
   */
  static String firstLine(String message) {
    if (message == null) {
      return "(no message)";
    }
    int nl = message.indexOf('\n');
    String line = nl < 0 ? message : message.substring(0, nl);
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }
}
