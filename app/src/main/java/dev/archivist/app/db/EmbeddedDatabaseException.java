package dev.archivist.app.db;

/** The embedded PostgreSQL could not be prepared, started or wiped; the message says why. */
public final class EmbeddedDatabaseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EmbeddedDatabaseException(String message, Throwable cause) {
    super(message, cause);
  }
}
