package dev.archivist.server;

/**
 * {@code --auth-mode none}: no identity, every action allowed (the server may still be
 * read-only).
 */
final class OpenAccess implements AccessControl {
  static final OpenAccess INSTANCE = new OpenAccess();
  private static final Caller ANONYMOUS = Caller.named("anonymous");

  private OpenAccess() {}

  @Override
  public AuthMode mode() {
    return AuthMode.NONE;
  }

  @Override
  public Caller authenticate(String bearerToken) {
    return ANONYMOUS;
  }

  @Override
  public boolean allows(Caller caller, Verb verb, String namespace) {
    return true;
  }
}
