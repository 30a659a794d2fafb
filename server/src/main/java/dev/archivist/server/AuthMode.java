package dev.archivist.server;

import java.util.Locale;

/** How the API knows who is calling: {@code --auth-mode}. */
public enum AuthMode {
  /** Anyone who reaches the port may do anything the server allows. */
  NONE,
  /** One static bearer token, from {@code --api-token-file}, allows everything. */
  TOKEN,
  /** A Kubernetes bearer token, checked by TokenReview and authorized by SubjectAccessReview. */
  KUBERNETES;

  /** The flag's spelling: {@code none}, {@code token}, {@code kubernetes}. */
  public String flagValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException naming {@code --auth-mode} and the accepted values
   */
  public static AuthMode parse(String value) {
    for (AuthMode m : values()) {
      if (m.flagValue().equalsIgnoreCase(value == null ? "" : value.strip())) {
        return m;
      }
    }
    throw new IllegalArgumentException("--auth-mode must be kubernetes, token or none, got \""
        + value + "\"");
  }
}
