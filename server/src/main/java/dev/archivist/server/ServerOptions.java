package dev.archivist.server;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How {@link ArchiveServer} listens and what it allows. Invalid values fail in the constructor
 * with a message naming the command-line flag and the value.
 *
 * @param port the TCP port; 0 picks a free one (see {@link ArchiveServer#port()})
 * @param bindAddress the address to listen on, {@code 0.0.0.0} for every interface
 * @param apiToken when not null, every {@code /api/...} request must carry
 *     {@code Authorization: Bearer <apiToken>}; the health, metrics and UI paths stay open. The
 *     caller reads it from {@code --api-token-file} and strips the trailing newline.
 * @param readOnly when true, {@code DELETE} is refused with 403
 * @param corsOrigins origins (such as {@code https://argo.example.com}, or {@code *} for any) that
 *     browsers may call the API from; empty turns CORS off
 * @param uiResourceRoot the classpath directory the archive browser is served from at {@code /};
 *     when it is not on the classpath, {@code /} serves a short page saying so
 * @param readinessTimeout how long {@code /readyz} waits for the database to answer
 */
public record ServerOptions(
    int port,
    String bindAddress,
    String apiToken,
    boolean readOnly,
    List<String> corsOrigins,
    String uiResourceRoot,
    Duration readinessTimeout) {

  /** The default {@code --http-port}. */
  public static final int DEFAULT_PORT = 8080;
  /** Every interface. */
  public static final String DEFAULT_BIND_ADDRESS = "0.0.0.0";
  /** Where the web UI's assets live on the classpath. */
  public static final String DEFAULT_UI_RESOURCE_ROOT = "/ui";
  /** How long {@code /readyz} waits for the database by default. */
  public static final Duration DEFAULT_READINESS_TIMEOUT = Duration.ofSeconds(2);

  public ServerOptions {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--http-port must be between 0 and 65535, got " + port);
    }
    if (bindAddress == null || bindAddress.isBlank()) {
      throw new IllegalArgumentException("--bind-address must not be empty, got \""
          + bindAddress + "\"");
    }
    if (apiToken != null) {
      if (apiToken.isBlank()) {
        throw new IllegalArgumentException(
            "--api-token-file holds an empty token; put a token in the file or drop the flag");
      }
      for (int i = 0; i < apiToken.length(); i++) {
        char c = apiToken.charAt(i);
        if (c <= ' ' || c >= 0x7f) {
          throw new IllegalArgumentException("--api-token-file: the token must be printable ASCII"
              + " without spaces or line breaks (found character code " + (int) c
              + " at position " + i + "); a trailing newline must be stripped by the caller");
        }
      }
    }
    corsOrigins = List.copyOf(Objects.requireNonNull(corsOrigins, "corsOrigins"));
    for (String origin : corsOrigins) {
      checkOrigin(origin);
    }
    if (uiResourceRoot == null || !uiResourceRoot.startsWith("/")) {
      throw new IllegalArgumentException("uiResourceRoot must be a classpath directory starting"
          + " with '/', got \"" + uiResourceRoot + "\"");
    }
    Objects.requireNonNull(readinessTimeout, "readinessTimeout");
    if (readinessTimeout.isNegative() || readinessTimeout.isZero()) {
      throw new IllegalArgumentException("readinessTimeout must be positive, got "
          + readinessTimeout);
    }
  }

  /**
   * Port 8080 on every interface, no token, deletes allowed, CORS off, the UI from {@code /ui}.
   */
  public static ServerOptions defaults() {
    return new ServerOptions(DEFAULT_PORT, DEFAULT_BIND_ADDRESS, null, false, List.of(),
        DEFAULT_UI_RESOURCE_ROOT, DEFAULT_READINESS_TIMEOUT);
  }

  public ServerOptions withPort(int newPort) {
    return new ServerOptions(newPort, bindAddress, apiToken, readOnly, corsOrigins,
        uiResourceRoot, readinessTimeout);
  }

  public ServerOptions withBindAddress(String newBindAddress) {
    return new ServerOptions(port, newBindAddress, apiToken, readOnly, corsOrigins,
        uiResourceRoot, readinessTimeout);
  }

  /** With a bearer token required on the API; null turns the requirement off. */
  public ServerOptions withApiToken(String newApiToken) {
    return new ServerOptions(port, bindAddress, newApiToken, readOnly, corsOrigins,
        uiResourceRoot, readinessTimeout);
  }

  public ServerOptions withReadOnly(boolean newReadOnly) {
    return new ServerOptions(port, bindAddress, apiToken, newReadOnly, corsOrigins,
        uiResourceRoot, readinessTimeout);
  }

  public ServerOptions withCorsOrigins(List<String> newCorsOrigins) {
    return new ServerOptions(port, bindAddress, apiToken, readOnly, newCorsOrigins,
        uiResourceRoot, readinessTimeout);
  }

  public ServerOptions withUiResourceRoot(String newUiResourceRoot) {
    return new ServerOptions(port, bindAddress, apiToken, readOnly, corsOrigins,
        newUiResourceRoot, readinessTimeout);
  }

  public ServerOptions withReadinessTimeout(Duration newReadinessTimeout) {
    return new ServerOptions(port, bindAddress, apiToken, readOnly, corsOrigins,
        uiResourceRoot, newReadinessTimeout);
  }

  /** Never prints the token. */
  @Override
  public String toString() {
    return "ServerOptions[port=" + port + ", bindAddress=" + bindAddress + ", apiToken="
        + (apiToken == null ? "none" : "****") + ", readOnly=" + readOnly + ", corsOrigins="
        + corsOrigins + ", uiResourceRoot=" + uiResourceRoot + ", readinessTimeout="
        + readinessTimeout + "]";
  }

  private static void checkOrigin(String origin) {
    if (origin == null || origin.isBlank()) {
      throw new IllegalArgumentException("--cors-origin must not be empty");
    }
    if (origin.equals("*")) {
      return;
    }
    String problem = null;
    try {
      URI uri = new URI(origin);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
        problem = "it must start with http:// or https://";
      } else if (uri.getHost() == null) {
        problem = "it has no host";
      } else if ((uri.getRawPath() != null && !uri.getRawPath().isEmpty())
          || uri.getRawQuery() != null || uri.getRawFragment() != null
          || uri.getRawUserInfo() != null) {
        problem = "an origin is scheme://host[:port] with nothing after it";
      }
    } catch (URISyntaxException e) {
      problem = e.getMessage();
    }
    if (problem != null) {
      throw new IllegalArgumentException("--cors-origin \"" + origin + "\" is not an origin: "
          + problem + " (for example https://argo.example.com or http://localhost:3000)");
    }
  }
}
