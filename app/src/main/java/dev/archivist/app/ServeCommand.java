package dev.archivist.app;

import dev.archivist.store.ArchiveStore;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code archivist serve}: the HTTP API and UI over a database, no controller. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Serve the archive's HTTP API and web UI over a database, without a controller.",
        "",
        "The schema must exist (see 'archivist migrate'); serve never changes it. Runs until"
            + " SIGTERM or Ctrl-C."},
    footer = {"", "Every option also reads ARCHIVIST_<OPTION> (--http-port ->"
        + " ARCHIVIST_HTTP_PORT). See docs/configuration.md."})
final class ServeCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  DatabaseOptions db;

  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "archivist-data",
      description = "Where the embedded PostgreSQL keeps its data when no --db is given"
          + " (default: ./${DEFAULT-VALUE}).")
  Path dataDir;

  @Mixin
  ScopeOptions scope;

  @Mixin
  HttpOptions http;

  /** The running command's parts, for {@link #stop()}; null before and after a run. */
  private volatile Lifecycle running;

  /** Stops it as SIGTERM would (for tests, which cannot send a signal). */
  void stop() {
    Lifecycle l = running;
    if (l != null) {
      l.close();
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    Main root = Main.root(spec);
    db.validate();
    scope.validate();
    Components.ServerSettings settings = http.settings();
    Components.check(spec, null, settings, null);
    Lifecycle lifecycle = new Lifecycle();
    lifecycle.closeOnShutdown();
    running = lifecycle;
    try {
      ArchiveStore store = Archives.open(db, scope, dataDir, root.env(), lifecycle);
      PrometheusMeterRegistry registry = Components.newRegistry();
      lifecycle.add("meter registry", registry::close);
      Components.Server server = lifecycle.add("HTTP server",
          Components.startServer(store, settings, registry, null));
      spec.commandLine().getErr().println("archivist: serving the archive on port "
          + server.port() + ". Stop with Ctrl-C or SIGTERM.");
      spec.commandLine().getErr().flush();
      lifecycle.awaitClosed();
      return ExitCodes.OK;
    } finally {
      lifecycle.close();
      running = null;
    }
  }
}
