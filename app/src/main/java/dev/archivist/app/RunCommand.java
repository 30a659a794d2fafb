package dev.archivist.app;

import dev.archivist.controller.ArchiveController;
import dev.archivist.controller.ControllerConfig;
import dev.archivist.controller.KubeClients;
import dev.archivist.controller.LifecycleConfig;
import dev.archivist.server.AccessControl;
import dev.archivist.server.ArchiveServer;
import dev.archivist.server.AuthMode;
import dev.archivist.server.ServerOptions;
import dev.archivist.store.ArchiveStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code archivist run}: the controller, and the HTTP API beside it. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Archive completed workflows from the cluster, and serve the archive's API.",
        "",
        "The controller: watches Argo Workflows, writes each completed one to the database,"
            + " labels it Archived, and serves the archive over HTTP on --http-port.",
        "",
        "Migrates the schema at start (or refuses, saying why), then runs until SIGTERM or"
            + " Ctrl-C, when it finishes the batches in flight and stops."},
    footer = {"", "Every option also reads ARCHIVIST_<OPTION> (--archive-qps ->"
        + " ARCHIVIST_ARCHIVE_QPS). See docs/configuration.md."})
final class RunCommand extends RunningCommand {
  @Spec
  CommandSpec spec;

  @Option(names = "--kubeconfig", paramLabel = "FILE",
      description = "The kubeconfig to use (default: in-cluster, else ~/.kube/config).")
  Path kubeconfig;

  @Option(names = {"--namespace", "-n"}, paramLabel = "NAMESPACE", split = ",",
      description = "Watch only this namespace; repeatable (default: all namespaces).")
  List<String> namespaces;

  @Mixin
  ArchiveOptions archive;

  @Mixin
  ArgoNodesOptions argo;

  @Option(names = "--archive-label-selector", paramLabel = "SELECTOR", defaultValue = "",
      description = "Archive only workflows whose labels match this Kubernetes label selector"
          + " (default: everything).")
  String archiveSelector;

  @Option(names = "--archive-qps", paramLabel = "QPS", defaultValue = "0",
      description = "Workflows archived per second at most; 0 means no limit"
          + " (default: ${DEFAULT-VALUE}).")
  double archiveQps;

  @Mixin
  ArchiveTuningOptions tuning;

  @Option(names = "--kube-qps", paramLabel = "QPS", defaultValue = "50",
      description = "Requests per second to the Kubernetes API at most, all verbs; 0 means no"
          + " client-side limit (default: ${DEFAULT-VALUE}).")
  double kubeQps;

  @Option(names = "--kube-burst", paramLabel = "N", defaultValue = "100",
      description = "Kubernetes API requests that may go at once above --kube-qps; 0 means"
          + " ceil(--kube-qps) (default: ${DEFAULT-VALUE}).")
  int kubeBurst;

  @Option(names = "--kube-request-timeout", paramLabel = "DURATION", defaultValue = "30s",
      description = "How long one Kubernetes API request may take (default: ${DEFAULT-VALUE}).")
  Duration kubeRequestTimeout;

  @Mixin
  HttpOptions http;

  @Mixin
  AuthOptions auth;

  @Mixin
  LifecycleOptions lifecycleOptions;

  @Override
  public Integer call() throws InterruptedException {
    Main root = Main.root(spec);
    ControllerConfig config = validate();
    AuthMode authMode = auth.resolve(AuthMode.KUBERNETES, http.hasTokenFile());
    ServerOptions serverOptions = http.options(auth, authMode);
    LifecycleConfig lifecycleConfig =
        Components.validated(spec, () -> lifecycleOptions.toConfig(root.env()));

    Duration kubeTimeout = kubeRequestTimeout;
    int kubeRetries = KubeClients.REQUEST_RETRIES;
    if (lifecycleConfig.leaderElect()) {
      // A write that passed the leader fence must land before a standby can lead.
      Duration margin = lifecycleConfig.writeMargin();
      kubeTimeout = min(kubeRequestTimeout, margin);
      kubeRetries = 0;
      archive.db.statementTimeout = min(archive.db.statementTimeout, margin);
      spec.commandLine().getErr().println("archivist: --leader-elect: Kubernetes requests and "
          + "database statements bounded by " + margin + " (--lease-duration minus "
          + "--lease-renew-deadline): request timeout " + kubeTimeout + ", statement timeout "
          + archive.db.statementTimeout + ", no retries inside the Kubernetes client");
    }
    Lifecycle lifecycle = startLifecycle(true);
    try {
      ArchiveStore store = archive.open(root.env(), lifecycle);
      spec.commandLine().getErr().println("archivist: "
          + Archives.describe(Archives.migrate(store, archive.db)));
      KubernetesClient client = lifecycle.add("Kubernetes client", KubeClients.create(
          kubeconfig == null ? null : kubeconfig.toString(), kubeQps, kubeBurst, kubeTimeout,
          kubeRetries));
      PrometheusMeterRegistry registry = Components.newRegistry(lifecycle);
      ArchiveController controller = lifecycle.add("controller",
          Components.startController(client, store, config, lifecycleConfig, registry,
              root.clock(), () -> onLostLeadership(lifecycle),
              argo.restorer(store, archive.db, archive.scope, root.env(), lifecycle)));
      AccessControl access = auth.accessControl(authMode, serverOptions.apiToken(), kubeconfig,
          registry, lifecycle);
      ArchiveServer server = lifecycle.add("HTTP server",
          Components.startServer(store, serverOptions, registry, controller, access));
      return awaitStop(spec, lifecycle, "running; the API is on port " + server.port());
    } finally {
      finishLifecycle(lifecycle);
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /**
   * The lease was lost and the work stopped: exit, so that the Deployment restarts this replica
   * as a fresh candidate. The shutdown hook closes the rest.
   */
  private void onLostLeadership(Lifecycle lifecycle) {
    spec.commandLine().getErr().println("archivist: lost the leader lease; exiting so that a"
        + " fresh replica can contend again");
    spec.commandLine().getErr().flush();
    if (isRunning(lifecycle)) {
      System.exit(ExitCodes.ERROR);
    }
  }

  private ControllerConfig validate() {
    archive.validate();
    argo.validate();
    tuning.validate();
    Flags.atLeast(spec, "--archive-qps", archiveQps, 0);
    Flags.atLeast(spec, "--kube-qps", kubeQps, 0);
    Flags.atLeast(spec, "--kube-burst", kubeBurst, 0);
    Flags.labelSelector(spec, "--archive-label-selector", archiveSelector);
    List<String> ns = Flags.distinctValues(namespaces);
    return Components.validated(spec,
        () -> Components.controllerConfig(ns, archive.scope, archiveSelector, archiveQps, tuning));
  }
}
