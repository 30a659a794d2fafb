package dev.archivist.app;

import dev.archivist.server.ServerOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The HTTP server's flags for {@code run} and {@code serve}. */
final class HttpOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "8080",
      description = "The port of the HTTP API, UI, /metrics, /healthz and /readyz; 0 picks a"
          + " free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--bind-address", paramLabel = "ADDRESS", defaultValue = "0.0.0.0",
      description = "The address the HTTP server listens on (default: ${DEFAULT-VALUE}, every"
          + " interface).")
  String bindAddress;

  @Option(names = "--api-token-file", paramLabel = "FILE",
      description = "Require 'Authorization: Bearer <token>' on /api/ requests, the token read"
          + " from FILE (trailing newline ignored). Default: no token.")
  Path apiTokenFile;

  @Option(names = "--read-only",
      description = "Refuse DELETE requests on the archive (403).")
  boolean readOnly;

  @Option(names = "--cors-origin", paramLabel = "ORIGIN", split = ",",
      description = "Allow browsers on ORIGIN (https://host[:port], or *) to call the API;"
          + " repeatable. Default: none.")
  List<String> corsOrigins;

  /** The server's options; a bad value is a usage error naming the flag. */
  ServerOptions options() {
    Flags.inRange(spec, "--http-port", port, 0, 65535);
    String apiToken = token(spec, "--api-token-file", apiTokenFile);
    return Components.validated(spec, () -> ServerOptions.defaults()
        .withPort(port)
        .withBindAddress(bindAddress)
        .withApiToken(apiToken)
        .withReadOnly(readOnly)
        .withCorsOrigins(corsOrigins == null ? List.of() : List.copyOf(corsOrigins)));
  }

  /** The token in {@code file}, trailing whitespace stripped; null when no file is given. */
  static String token(CommandSpec spec, String flag, Path file) {
    if (file == null) {
      return null;
    }
    String token;
    try {
      token = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw Flags.invalid(spec, flag, "cannot be read: " + file + " ("
          + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
    }
    if (token.isEmpty()) {
      throw Flags.invalid(spec, flag, "names an empty file: " + file);
    }
    return token;
  }
}
