package dev.archivist.bench.memory;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The Kubernetes client of the measured JVM: the same settings for every mode. */
final class ModeClients {
  private ModeClients() {}

  static KubernetesClient create(Path kubeconfig, double qps, int burst, Duration timeout) {
    // TEMPORARY until the controller's KubeClients lands on main.
    try {
      Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
      config.setRequestTimeout((int) timeout.toMillis());
      return new KubernetesClientBuilder().withConfig(config).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
