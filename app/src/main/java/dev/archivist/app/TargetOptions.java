package dev.archivist.app;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.function.Function;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Where {@code list}, {@code get} and {@code delete} find the archive: a database
 * ({@code --db ...}) or a running server ({@code --server URL}), exactly one of them.
 */
final class TargetOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Mixin
  DatabaseOptions db;

  @Mixin
  ScopeOptions scope;

  @Option(names = "--server", paramLabel = "URL",
      description = "Talk to a running archivist's HTTP API (http://host:port) instead of the"
          + " database.")
  String server;

  @Option(names = "--token-file", paramLabel = "FILE",
      description = "With --server: a file holding the API token (trailing newline ignored).")
  Path tokenFile;

  /** Opens the access the flags ask for, returns what {@code call} gets from it, and closes it. */
  <T> T withArchive(Function<ArchiveAccess, T> call) {
    try (ArchiveAccess archive = open(Main.root(spec).env())) {
      return call.apply(archive);
    }
  }

  /** Opens the access the flags ask for; the caller closes it. */
  private ArchiveAccess open(EnvironmentDefaults env) {
    db.validate();
    scope.validate();
    boolean hasServer = server != null && !server.isBlank();
    if (hasServer == db.isSet()) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), hasServer
          ? "give either --db or --server, not both"
          : "give --db JDBC_URL (the database) or --server URL (a running archivist), or set"
              + " ARCHIVIST_DB or ARCHIVIST_SERVER");
    }
    if (hasServer) {
      URI uri;
      try {
        uri = new URI(server.strip());
      } catch (URISyntaxException e) {
        throw Flags.invalid(spec, "--server", "is not a URL: '" + server + "' ("
            + e.getMessage() + ")");
      }
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null) {
        throw Flags.invalid(spec, "--server", "must be an http:// or https:// URL, got '"
            + server + "'");
      }
      return new ServerAccess(uri, HttpOptions.token(spec, "--token-file", tokenFile));
    }
    if (tokenFile != null) {
      throw Flags.invalid(spec, "--token-file", "only applies with --server");
    }
    return new StoreAccess(Archives.openStore(scope.applyTo(db.storeConfig(env))));
  }
}
