package dev.archivist.app;

import dev.archivist.store.ArchiveStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import dev.archivist.metrics.Registries;
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
  }

  /** What {@code run}, {@code serve} and {@code demo} tell the HTTP server. */
  record ServerSettings(int port, String bindAddress, String apiToken, boolean readOnly,
      List<String> corsOrigins) {}

  /** A snapshot of the controller's counters. */
  record Stats(long archived, long failures, long quarantined, int queueDepth, int pending,
      boolean synced) {}

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
    throw new IllegalStateException("the Kubernetes client wiring (controller module, issue 2)"
        + " is not built yet");
  }

  /** Starts the archive controller; the caller closes it before the store. */
  static Controller startController(KubernetesClient client, ArchiveStore store,
      ControllerSettings settings, PrometheusMeterRegistry registry, Clock clock) {
    throw new IllegalStateException("the archive controller (issue 2) is not built yet");
  }

  /**
   * Starts the HTTP server; {@code /readyz} also requires {@code controller}'s informers to have
   * synced when a controller is given.
   */
  static Server startServer(ArchiveStore store, ServerSettings settings,
      PrometheusMeterRegistry registry, Controller controller) {
    throw new IllegalStateException("the HTTP server (issue 4) is not built yet");
  }
}
