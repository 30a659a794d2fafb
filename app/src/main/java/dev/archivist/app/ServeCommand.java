package dev.archivist.app;

import dev.archivist.server.AccessControl;
import dev.archivist.server.ArchiveServer;
import dev.archivist.server.AuthMode;
import dev.archivist.server.ServerOptions;
import dev.archivist.store.ArchiveStore;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
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
final class ServeCommand extends RunningCommand {
  @Spec
  CommandSpec spec;

  @Mixin
  ArchiveOptions archive;

  @Mixin
  HttpOptions http;

  @Mixin
  AuthOptions auth;

  @Option(names = "--kubeconfig", paramLabel = "FILE",
      description = "With --auth-mode kubernetes: the cluster whose TokenReview and"
          + " SubjectAccessReview decide (default: in-cluster, else ~/.kube/config).")
  Path kubeconfig;

  @Override
  public Integer call() throws InterruptedException {
    Main root = Main.root(spec);
    archive.validate();
    AuthMode authMode = auth.resolve(AuthMode.NONE, http.hasTokenFile());
    ServerOptions options = http.options(auth, authMode);
    Lifecycle lifecycle = startLifecycle(true);
    try {
      ArchiveStore store = archive.open(root.env(), lifecycle);
      PrometheusMeterRegistry registry = Components.newRegistry(lifecycle);
      AccessControl access = auth.accessControl(authMode, options.apiToken(), kubeconfig,
          registry, lifecycle);
      ArchiveServer server = lifecycle.add("HTTP server",
          Components.startServer(store, options, registry, null, access));
      return awaitStop(spec, lifecycle, "serving the archive on port " + server.port());
    } finally {
      finishLifecycle(lifecycle);
    }
  }
}
