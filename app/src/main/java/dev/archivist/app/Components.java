package dev.archivist.app;

import dev.archivist.controller.ArchiveController;
import dev.archivist.controller.ControllerConfig;
import dev.archivist.controller.ControllerStats;
import dev.archivist.controller.KubeClients;
import dev.archivist.controller.LifecycleConfig;
import dev.archivist.core.LabelSelector;
import dev.archivist.metrics.Registries;
import dev.archivist.server.AccessControl;
import dev.archivist.server.ArchiveServer;
import dev.archivist.server.QuarantineSource;
import dev.archivist.server.ReadinessCheck;
import dev.archivist.server.ServerOptions;
import dev.archivist.store.ArchiveStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The one place the app touches the controller, server and metrics modules, so that
 * {@code run}, {@code serve} and {@code demo} start exactly the same components.
 */
final class Components {
  private Components() {}

  /** What {@code run} and {@code demo} tell the controller. */
  record ControllerSettings(
      List<String> namespaces,
      String clusterName,
      String instanceId,
      String archiveSelector,
      double archiveQps,
      int archiveBurst,
      int workers,
      int batchSize,
      int queueCapacity,
      int maxRetries,
      Duration retryBaseDelay,
      Duration retryMaxDelay,
      Duration sweepPeriod,
      Duration shutdownTimeout) {

    static ControllerSettings of(List<String> namespaces, ScopeOptions scope,
        String archiveSelector, double archiveQps, ArchiveTuningOptions t) {
      return new ControllerSettings(namespaces, scope.clusterName, scope.instanceId,
          archiveSelector, archiveQps, t.archiveBurst, t.workers, t.batchSize, t.queueCapacity,
          t.maxRetries, t.retryBaseDelay, t.retryMaxDelay, t.sweepPeriod, t.shutdownTimeout);
    }

    /**
     * The controller's config; its own validation messages name the flag.
     *
     * @throws IllegalArgumentException naming the flag and value
     */
    ControllerConfig toConfig() {
      return ControllerConfig.defaults()
          .withNamespaces(namespaces)
          .withClusterName(clusterName)
          .withInstanceId(instanceId)
          .withArchiveSelector(LabelSelector.parse(archiveSelector))
          .withArchiveQps(archiveQps)
          .withArchiveBurst(archiveBurst)
          .withWorkers(workers)
          .withBatchSize(batchSize)
          .withQueueCapacity(queueCapacity)
          .withMaxRetries(maxRetries)
          .withRetryDelays(retryBaseDelay, retryMaxDelay)
          .withSweepPeriod(sweepPeriod)
          .withShutdownTimeout(shutdownTimeout);
    }
  }

  /** What {@code run}, {@code serve} and {@code demo} tell the HTTP server. */
  record ServerSettings(int port, String bindAddress, String apiToken, boolean readOnly,
      List<String> corsOrigins) {

    /** @throws IllegalArgumentException naming the flag and value */
    ServerOptions toOptions() {
      return ServerOptions.defaults()
          .withPort(port)
          .withBindAddress(bindAddress)
          .withApiToken(apiToken)
          .withReadOnly(readOnly)
          .withCorsOrigins(corsOrigins);
    }
  }

  /**
   * Builds the component configs once to run their own validation before anything starts; their
   * messages name the flag, and become exit code 2.
   */
  static void check(picocli.CommandLine.Model.CommandSpec spec, ControllerSettings controller,
      ServerSettings server, java.util.function.Supplier<LifecycleConfig> lifecycle) {
    try {
      if (controller != null) {
        controller.toConfig();
      }
      if (lifecycle != null) {
        lifecycle.get();
      }
      if (server != null) {
        server.toOptions();
      }
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  /** A snapshot of the controller's counters. */
  record Stats(long archived, long failures, long quarantined, long deleted, int queueDepth,
      int pending, boolean synced) {}

  /** A running controller. */
  interface Controller extends AutoCloseable {
    Stats stats();

    @Override
    void close();
  }

  /** A running HTTP server. */
  interface Server extends AutoCloseable {
    int port();

    @Override
    void close();
  }

  static PrometheusMeterRegistry newRegistry() {
    return Registries.prometheus();
  }

  /** A Kubernetes client from {@code kubeconfig} (null: in-cluster, else ~/.kube/config). */
  static KubernetesClient kubeClient(String kubeconfig, double kubeQps, int kubeBurst,
      Duration requestTimeout) {
    return KubeClients.create(kubeconfig, kubeQps, kubeBurst, requestTimeout);
  }

  /**
   * Starts the archive controller with issue 5's lifecycle (quarantine, and what
   * {@code lifecycle} turns on); the caller closes it before the store.
   *
   * @param onLostLeadership run once, on a thread of its own, when leader election lost the lease
   */
  static Controller startController(KubernetesClient client, ArchiveStore store,
      ControllerSettings settings, LifecycleConfig lifecycle, PrometheusMeterRegistry registry,
      Clock clock, Runnable onLostLeadership) {
    ArchiveController controller = ArchiveController.create(client, store, settings.toConfig(),
        lifecycle, registry, clock, onLostLeadership);
    controller.start();
    return new Controller() {
      @Override
      public Stats stats() {
        ControllerStats s = controller.stats();
        return new Stats(s.archived(), s.failures(), s.quarantined(), s.deleted(),
            s.queueDepth(), s.pending(), s.synced());
      }

      @Override
      public void close() {
        controller.close();
      }
    };
  }

  /**
   * Starts the HTTP server; {@code /readyz} also requires {@code controller}'s informers to have
   * synced when a controller is given.
   */
  static Server startServer(ArchiveStore store, ServerSettings settings,
      PrometheusMeterRegistry registry, Controller controller) {
    return startServer(store, settings, registry, controller, null);
  }

  /** As above, with {@code access} deciding who may use the API (null: from the token). */
  static Server startServer(ArchiveStore store, ServerSettings settings,
      PrometheusMeterRegistry registry, Controller controller, AccessControl access) {
    // With a controller, GET /api/v1/quarantine lists the store's quarantine log, which the
    // controller keeps (one short query per request; the log is small by nature).
    QuarantineSource quarantine = controller == null ? null : () -> store.quarantine().list()
        .stream()
        .map(e -> new QuarantineSource.QuarantinedWorkflow(e.namespace(), e.name(), e.uid(),
            e.attempts(), e.lastError(), e.firstFailedAt()))
        .toList();
    List<ReadinessCheck> checks = controller == null ? List.of()
        : List.of(ReadinessCheck.ofStatus("informer", () -> controller.stats().synced()
            ? ReadinessCheck.Status.ok()
            : ReadinessCheck.Status.notReady("the informers have not listed the workflows yet")));
    ArchiveServer server = ArchiveServer.start(store, settings.toOptions(), registry, checks,
        quarantine, access);
    return new Server() {
      @Override
      public int port() {
        return server.port();
      }

      @Override
      public void close() {
        server.close();
      }
    };
  }
}
