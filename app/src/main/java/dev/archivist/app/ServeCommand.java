package dev.archivist.app;

import dev.archivist.server.ArchiveServer;
import dev.archivist.server.ServerOptions;
import dev.archivist.store.ArchiveStore;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
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

  @Mixin
  DataDirOption data;

  @Mixin
  ScopeOptions scope;

  @Mixin
  HttpOptions http;

  private final RunningCommand running = new RunningCommand();

  /** Stops it as SIGTERM would (for tests, which cannot send a signal). */
  void stop() {
    running.stop();
  }

  @Override
  public Integer call() throws InterruptedException {
    Main root = Main.root(spec);
    db.validate();
    scope.validate();
    ServerOptions options = http.options();
    Lifecycle lifecycle = running.start(true);
    try {
      ArchiveStore store = Archives.open(db, scope, data.dataDir, root.env(), lifecycle);
      PrometheusMeterRegistry registry = Components.newRegistry();
      lifecycle.add("meter registry", registry::close);
      ArchiveServer server = lifecycle.add("HTTP server",
          Components.startServer(store, options, registry, null));
      spec.commandLine().getErr().println("archivist: serving the archive on port "
          + server.port() + ". Stop with Ctrl-C or SIGTERM.");
      spec.commandLine().getErr().flush();
      lifecycle.awaitClosed();
      return ExitCodes.OK;
    } finally {
      running.finish(lifecycle);
    }
  }
}
