package dev.archivist.app;

/**
 * A command could not do its job for a reason the user can act on. {@link Main} prints the
 * message (and the causes' messages), never a stack trace, and exits with {@link #exitCode()}.
 */
final class CommandFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  CommandFailedException(int exitCode, String message) {
    this(exitCode, message, null);
  }

  CommandFailedException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  static CommandFailedException notFound(String message) {
    return new CommandFailedException(ExitCodes.NOT_FOUND, message);
  }

  int exitCode() {
    return exitCode;
  }
}
