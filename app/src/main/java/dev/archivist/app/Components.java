package dev.archivist.app;

import dev.archivist.controller.ArchiveController;
import dev.archivist.controller.ControllerConfig;
import dev.archivist.controller.LifecycleConfig;
import dev.archivist.core.LabelSelector;
import dev.archivist.metrics.Registries;
import dev.archivist.server.AccessControl;
import dev.archivist.server.ArchiveServer;
import dev.archivist.server.QuarantineSource;
import dev.archivist.server.ReadinessCheck;
import dev.archivist.server.ServerOptions;
import dev.archivist.store.ArchiveStore;
import dev.archivist.store.argo.NodeRestorer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * The one place the app starts the controller, server and metrics modules, from those modules'
 * own config types, so that {@code run}, {@code serve} and {@code demo} start exactly the same
 * components.
 */
final class Components {
  private Components() {}

  /**
   * The controller's config for {@code run} and {@code demo}; its own validation messages name
   * the flag.
   *
   * @throws IllegalArgumentException naming the flag and value
   */
  static ControllerConfig controllerConfig(List<String> namespaces, ScopeOptions scope,
      String archiveSelector, double archiveQps, ArchiveTuningOptions t) {
    return ControllerConfig.defaults()
        .withNamespaces(namespaces)
        .withClusterName(scope.clusterName)
        .withInstanceId(scope.instanceId)
        .withArchiveSelector(LabelSelector.parse(archiveSelector))
        .withArchiveQps(archiveQps)
        .withArchiveBurst(t.archiveBurst)
        .withWorkers(t.workers)
        .withBatchSize(t.batchSize)
        .withQueueCapacity(t.queueCapacity)
        .withMaxRetries(t.maxRetries)
        .withRetryDelays(t.retryBaseDelay, t.retryMaxDelay)
        .withSweepPeriod(t.sweepPeriod)
        .withShutdownTimeout(t.shutdownTimeout);
  }

  /**
   * Builds a component's config before anything starts. Its own validation fails with a message
   * that names the flag; that becomes a usage error (exit code 2).
   */
  static <T> T validated(CommandSpec spec, Supplier<T> config) {
    try {
      return config.get();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  /** A Prometheus registry, closed with {@code lifecycle}. */
  static PrometheusMeterRegistry newRegistry(Lifecycle lifecycle) {
    PrometheusMeterRegistry registry = Registries.prometheus();
    lifecycle.add("meter registry", registry::close);
    return registry;
  }

  /**
   * Starts the archive controller with its lifecycle (quarantine, and what {@code lifecycle}
   * turns on); the caller closes it before the store.
   *
   * @param onLostLeadership run once, on a thread of its own, when leader election lost the lease
   * @param nodes where the nodes of Argo's large workflows are restored from before writing
   */
  static ArchiveController startController(KubernetesClient client, ArchiveStore store,
      ControllerConfig config, LifecycleConfig lifecycle, PrometheusMeterRegistry registry,
      Clock clock, Runnable onLostLeadership, NodeRestorer nodes) {
    ArchiveController controller = ArchiveController.create(client, store, config, lifecycle,
        registry, clock, onLostLeadership, nodes);
    controller.start();
    return controller;
  }

  /**
   * Starts the HTTP server; {@code /readyz} also requires {@code controller}'s informers to have
   * synced when a controller is given.
   */
  static ArchiveServer startServer(ArchiveStore store, ServerOptions options,
      PrometheusMeterRegistry registry, ArchiveController controller) {
    return startServer(store, options, registry, controller, null);
  }

  /** As above, with {@code access} deciding who may use the API (null: from the token). */
  static ArchiveServer startServer(ArchiveStore store, ServerOptions options,
      PrometheusMeterRegistry registry, ArchiveController controller, AccessControl access) {
    // With a controller, GET /api/v1/quarantine lists the store's quarantine log, which the
    // controller keeps (one short query per request; the log is small by nature).
    QuarantineSource quarantine = controller == null ? null : () -> store.quarantine().list();
    List<ReadinessCheck> checks = controller == null ? List.of()
        : List.of(ReadinessCheck.ofStatus("informer", () -> {
          String reason = controller.unreadyReason();
          return reason == null ? ReadinessCheck.Status.ok()
              : ReadinessCheck.Status.notReady(reason);
        }));
    return ArchiveServer.start(store, options, registry, checks, quarantine, access);
  }
}
