package dev.archivist.bench.memory;

import dev.archivist.controller.KubeClients;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The Kubernetes client of the measured JVM. Every mode gets it from the product's
 * {@link KubeClients}, so the HTTP client, client-side rate limit and timeouts are the same and
 * only the design under test differs.
 */
final class ModeClients {
  private ModeClients() {}

  static KubernetesClient create(Path kubeconfig, double qps, int burst, Duration timeout) {
    return KubeClients.create(kubeconfig.toString(), qps, burst, timeout);
  }
}
