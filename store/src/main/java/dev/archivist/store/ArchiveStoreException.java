package dev.archivist.store;

/**
 * The archive could not do what was asked: the database is unreachable, timed out, or failed the
 * whole statement. The message carries the operation, the elapsed time, the SQL state and the pool
 * state; never a password.
 */
public class ArchiveStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String sqlState;

  public ArchiveStoreException(String message, String sqlState, Throwable cause) {
    super(message, cause);
    this.sqlState = sqlState;
  }

  /** The SQL state, or null when there was none. */
  public String sqlState() {
    return sqlState;
  }
}
