package dev.archivist.app;

/** Keeps secrets out of messages: a password in a JDBC URL is replaced by {@code ****}. */
final class Redaction {
  private Redaction() {}

  static String url(String jdbcUrl) {
    if (jdbcUrl == null) {
      return null;
    }
    return jdbcUrl
        .replaceAll("(?i)(password=)[^&;]*", "$1****")
        .replaceAll("(//[^/:@]+:)[^/@]*@", "$1****@");
  }
}
