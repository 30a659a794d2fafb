package dev.archivist.server;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Requires {@code Authorization: Bearer <token>} on every {@code /api/} request. The comparison
 * takes the same time whatever the presented token is: both sides are hashed to a fixed length
 * first, so neither the contents nor the length of the secret leak through timing.
 *
 * <p>CORS preflights ({@code OPTIONS}) pass without a token when CORS is on, because browsers
 * never send credentials on them; they reach no handler that returns data.
 */
final class BearerTokenAuth {
  static final String API_PREFIX = "/api/";
  private static final String SCHEME = "Bearer ";

  private final byte[] expectedDigest;
  private final boolean allowPreflight;

  BearerTokenAuth(String token, boolean allowPreflight) {
    this.expectedDigest = sha256(token);
    this.allowPreflight = allowPreflight;
  }

  void check(Context ctx) {
    if (!ctx.path().startsWith(API_PREFIX)) {
      return;
    }
    if (allowPreflight && ctx.method() == HandlerType.OPTIONS) {
      return;
    }
    String header = ctx.header("Authorization");
    if (header == null) {
      throw unauthenticated(ctx, "this API requires a token: send the header"
          + " \"Authorization: Bearer <token>\" with the token of --api-token-file");
    }
    if (header.length() < SCHEME.length()
        || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      throw unauthenticated(ctx, "the Authorization header must use the Bearer scheme:"
          + " \"Authorization: Bearer <token>\"");
    }
    byte[] presented = sha256(header.substring(SCHEME.length()).trim());
    if (!MessageDigest.isEqual(expectedDigest, presented)) {
      throw unauthenticated(ctx, "the bearer token is not valid for this server");
    }
  }

  private static ApiException unauthenticated(Context ctx, String message) {
    ctx.header("WWW-Authenticate", "Bearer realm=\"archivist\"");
    return new ApiException(ErrorCode.UNAUTHENTICATED, message);
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
