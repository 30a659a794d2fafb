package dev.archivist.server;

/**
 * A request the API refuses, with the code and the message the client gets. Thrown by request
 * parsing and handlers; {@link ErrorResponses} turns it into the JSON error body. The message is
 * for the client: it names the parameter and what was wrong, and holds no secret.
 */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;

  ApiException(ErrorCode code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  static ApiException badRequest(String message) {
    return new ApiException(ErrorCode.INVALID_ARGUMENT, message);
  }

  static ApiException notFound(String message) {
    return new ApiException(ErrorCode.NOT_FOUND, message);
  }

  ErrorCode code() {
    return code;
  }
}
