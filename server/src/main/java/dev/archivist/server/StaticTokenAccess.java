package dev.archivist.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * {@code --auth-mode token}: the one token of {@code --api-token-file} allows everything. The
 * comparison takes the same time whatever the presented token is: both sides are hashed to a
 * fixed length first, so neither the contents nor the length of the secret leak through timing.
 */
final class StaticTokenAccess implements AccessControl {
  private static final Caller HOLDER = Caller.named("holder of the --api-token-file token");

  private final byte[] expectedDigest;

  StaticTokenAccess(String token) {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("--auth-mode token needs --api-token-file with a token");
    }
    this.expectedDigest = sha256(token);
  }

  @Override
  public AuthMode mode() {
    return AuthMode.TOKEN;
  }

  @Override
  public Caller authenticate(String bearerToken) {
    if (bearerToken == null) {
      throw AccessFilter.unauthenticated("this API requires a token: send the header"
          + " \"Authorization: Bearer <token>\" with the token of --api-token-file");
    }
    if (!MessageDigest.isEqual(expectedDigest, sha256(bearerToken))) {
      throw AccessFilter.unauthenticated("the bearer token is not valid for this server");
    }
    return HOLDER;
  }

  @Override
  public boolean allows(Caller caller, Verb verb, String namespace) {
    return true;
  }

  static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
