package dev.archivist.app;

/**
 * The exit codes of every {@code archivist} command; scripts rely on them, see docs/cli.md.
 */
public final class ExitCodes {
  /** Done. */
  public static final int OK = 0;
  /** A runtime failure: the database or server unreachable, a refused migration, ... */
  public static final int ERROR = 1;
  /** Bad input: an unknown flag, an invalid value, a malformed argument. */
  public static final int USAGE = 2;
  /** The workflow asked for is not in the archive. */
  public static final int NOT_FOUND = 3;

  private ExitCodes() {}
}
