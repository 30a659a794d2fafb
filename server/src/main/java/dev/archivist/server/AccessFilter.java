package dev.archivist.server;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;

/**
 * Authenticates every {@code /api/} request with the server's {@link AccessControl} before any
 * handler runs, and leaves the caller on the request for the handlers' authorization checks.
 *
 * <p>Two paths stay open: {@code /api/v1/info}, which tells the archive browser which sign-in
 * the server wants before it has a token, and, when CORS is on, preflights ({@code OPTIONS}),
 * on which browsers never send credentials; neither returns archived data.
 */
final class AccessFilter {
  static final String API_PREFIX = "/api/";
  private static final String SCHEME = "Bearer ";
  private static final String CALLER_ATTRIBUTE = "archivist.caller";

  private final AccessControl access;
  private final boolean allowPreflight;

  AccessFilter(AccessControl access, boolean allowPreflight) {
    this.access = access;
    this.allowPreflight = allowPreflight;
  }

  void check(Context ctx) {
    if (!ctx.path().startsWith(API_PREFIX) || ctx.path().equals(InfoApi.PATH)) {
      return;
    }
    if (allowPreflight && ctx.method() == HandlerType.OPTIONS) {
      return;
    }
    if (access.mode() == AuthMode.NONE) {
      // An open server ignores whatever credentials a client sends along.
      ctx.attribute(CALLER_ATTRIBUTE, access.authenticate(null));
      return;
    }
    try {
      ctx.attribute(CALLER_ATTRIBUTE, access.authenticate(bearerToken(ctx)));
    } catch (ApiException e) {
      if (e.code() == ErrorCode.UNAUTHENTICATED) {
        ctx.header("WWW-Authenticate", "Bearer realm=\"archivist\"");
      }
      throw e;
    }
  }

  /** The caller {@link #check} found; only called by handlers behind it. */
  static AccessControl.Caller caller(Context ctx) {
    AccessControl.Caller caller = ctx.attribute(CALLER_ATTRIBUTE);
    if (caller == null) {
      throw new IllegalStateException(ctx.path() + " is not behind the access filter");
    }
    return caller;
  }

  static ApiException unauthenticated(String message) {
    return new ApiException(ErrorCode.UNAUTHENTICATED, message);
  }

  /** The bearer token, or null when there is no Authorization header. */
  private static String bearerToken(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null) {
      return null;
    }
    if (header.length() < SCHEME.length()
        || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      throw unauthenticated("the Authorization header must use the Bearer scheme:"
          + " \"Authorization: Bearer <token>\"");
    }
    String token = header.substring(SCHEME.length()).trim();
    if (token.isEmpty()) {
      throw unauthenticated("the Authorization header has no token after \"Bearer\"");
    }
    return token;
  }
}
