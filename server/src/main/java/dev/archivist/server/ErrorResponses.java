package dev.archivist.server;

import dev.archivist.core.InvalidSelectorException;
import dev.archivist.store.ArchiveStoreException;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become responses. Every exception a handler throws ends here and
 * leaves as a JSON error; a stack trace is only ever written to the server log, under a reference
 * that the response carries so the two can be matched.
 */
final class ErrorResponses {
  private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);

  private final Json json;

  ErrorResponses(Json json) {
    this.json = json;
  }

  void handle(Exception e, Context ctx) {
    if (e instanceof ApiException api) {
      json.writeError(ctx, api.code(), api.getMessage());
    } else if (e instanceof InvalidSelectorException selector) {
      json.writeError(ctx, ErrorCode.INVALID_ARGUMENT, selector.getMessage());
    } else if (e instanceof ArchiveStoreException store && isDataException(store)) {
      // SQL state class 22 is "data exception": the database refused a value of the request
      // (an encoding it cannot hold, a number out of range), not a fault of its own.
      log.info("{} {}: the database refused a value of the request (SQL state {})",
          ctx.method(), ctx.path(), store.sqlState());
      json.writeError(ctx, ErrorCode.INVALID_ARGUMENT, "the database cannot compare a value of"
          + " this request (SQL state " + store.sqlState() + "); check the parameters for"
          + " characters or lengths no workflow can have");
    } else if (e instanceof ArchiveStoreException store) {
      String ref = nextReference();
      log.warn("{} {} failed: the archive database is unavailable [ref {}]", ctx.method(),
          ctx.path(), ref, store);
      json.writeError(ctx, ErrorCode.UNAVAILABLE, "the archive database is unavailable"
          + (store.sqlState() == null ? "" : " (SQL state " + store.sqlState() + ")")
          + "; try again later; the server log has details under ref " + ref);
    } else if (e instanceof HttpResponseException http) {
      // Javalin's own refusals (a body too large, a bad request line, ...).
      ErrorCode code = codeFor(http.getStatus());
      json.writeError(ctx, code, http.getMessage() == null ? "request refused" : http.getMessage());
      ctx.status(http.getStatus());
    } else {
      String ref = nextReference();
      log.error("{} {} failed unexpectedly [ref {}]", ctx.method(), ctx.path(), ref, e);
      json.writeError(ctx, ErrorCode.INTERNAL,
          "internal error; the server log has details under ref " + ref);
    }
  }

  private static boolean isDataException(ArchiveStoreException e) {
    return e.sqlState() != null && e.sqlState().startsWith("22");
  }

  /** For status codes without an exception: unknown paths and methods under {@code /api}. */
  void handleStatus(Context ctx) {
    if (ctx.attribute(Json.WRITTEN_ATTRIBUTE) != null || !ctx.path().startsWith("/api/")) {
      return;
    }
    if (ctx.statusCode() == 404) {
      json.writeError(ctx, ErrorCode.NOT_FOUND,
          "no such endpoint: " + ctx.method() + " " + ctx.path());
    } else if (ctx.statusCode() == 405) {
      json.writeError(ctx, ErrorCode.UNIMPLEMENTED,
          "method " + ctx.method() + " is not allowed on " + ctx.path());
    }
  }

  private static ErrorCode codeFor(int status) {
    for (ErrorCode code : ErrorCode.values()) {
      if (code.httpStatus == status) {
        return code;
      }
    }
    return status >= 500 ? ErrorCode.INTERNAL : ErrorCode.INVALID_ARGUMENT;
  }

  /** Short, and unique enough to find one failure in a log. */
  private static String nextReference() {
    return UUID.randomUUID().toString().substring(0, 8);
  }
}
