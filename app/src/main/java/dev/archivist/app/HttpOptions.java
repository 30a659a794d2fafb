package dev.archivist.app;

import dev.archivist.server.ServerOptions;
import java.nio.file.Path;
import dev.archivist.server.AuthMode;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The HTTP server's flags for {@code run} and {@code serve}. */
final class HttpOptions {
  static final String LOOPBACK = "127.0.0.1";
  static final String EVERY_INTERFACE = "0.0.0.0";

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "8080",
      description = "The port of the HTTP API, UI, /metrics, /healthz and /readyz; 0 picks a"
          + " free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--bind-address", paramLabel = "ADDRESS",
      description = "The address the HTTP server listens on (default: 127.0.0.1 with"
          + " --auth-mode none, else 0.0.0.0, every interface).")
  String bindAddress;

  @Option(names = "--api-token-file", paramLabel = "FILE",
      description = "With --auth-mode token (implied by this flag): require 'Authorization:"
          + " Bearer <token>' on /api/ requests, the token read from FILE (trailing newline"
          + " ignored).")
  Path apiTokenFile;

  @Option(names = "--read-only",
      description = "Refuse DELETE requests on the archive (403).")
  boolean readOnly;

  @Option(names = "--cors-origin", paramLabel = "ORIGIN", split = ",",
      description = "Allow browsers on ORIGIN (https://host[:port], or *) to call the API;"
          + " repeatable. Default: none.")
  List<String> corsOrigins;

  /**
   * The server's options under {@code auth}, after its refusals: an open server listens on
   * loopback unless told otherwise. A bad value is a usage error naming the flag.
   */
  ServerOptions options(AuthOptions auth, AuthMode mode) {
    Flags.inRange(spec, "--http-port", port, 0, 65535);
    String address = bindAddress != null ? bindAddress
        : mode == AuthMode.NONE ? LOOPBACK : EVERY_INTERFACE;
    List<String> origins = corsOrigins == null ? List.of() : List.copyOf(corsOrigins);
    auth.checkSafety(mode, address, readOnly, origins);
    String apiToken = token(spec, "--api-token-file", apiTokenFile);
    return Components.validated(spec, () -> ServerOptions.defaults()
        .withPort(port)
        .withBindAddress(address)
        .withApiToken(apiToken)
        .withReadOnly(readOnly)
        .withCorsOrigins(origins));
  }

  boolean hasTokenFile() {
    return apiTokenFile != null;
  }

  /** The token in {@code file}, trailing whitespace stripped; null when no file is given. */
  static String token(CommandSpec spec, String flag, Path file) {
    if (file == null) {
      return null;
    }
    String token = Flags.readSecret(spec, flag, file);
    if (token.isEmpty()) {
      throw Flags.invalid(spec, flag, "names an empty file: " + file);
    }
    return token;
  }
}
