package dev.archivist.bench.e2e;

import dev.archivist.controller.KubeClients;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The real API server the benchmark runs against: {@code hack/kube-up.sh}'s etcd and
 * kube-apiserver in a state folder of the benchmark's own (kept, or started when not running),
 * an admin client on its kubeconfig, and the server's own {@code /metrics}.
 */
public final class KubeBed implements AutoCloseable {
  private final Path kubeconfig;
  private final KubernetesClient admin;

  private KubeBed(Path kubeconfig) {
    this.kubeconfig = kubeconfig;
    // The admin client writes the workload fast; the controller under test has its own limits.
    this.admin = KubeClients.create(kubeconfig.toString(), 1000, 2000, Duration.ofSeconds(60));
  }

  /** Runs {@code hack/kube-up.sh} with {@code stateDir} and the given ports. */
  static KubeBed up(Path repoRoot, Path stateDir, int apiPort, int etcdPort) throws IOException,
      InterruptedException {
    return up(repoRoot, stateDir, apiPort, etcdPort, Map.of());
  }

  /**
   * As {@link #up(Path, Path, int, int)}, with more of the script's settings ({@code
   * ARCHIVIST_KUBE_WATCH_CACHE} and the like); it also starts what is not running, so it restarts
   * a killed API server.
   */
  public static KubeBed up(Path repoRoot, Path stateDir, int apiPort, int etcdPort,
      Map<String, String> settings) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(repoRoot.resolve("hack/kube-up.sh").toString())
        .redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("ARCHIVIST_KUBE_DIR", stateDir.toString());
    env.put("ARCHIVIST_KUBE_API_PORT", Integer.toString(apiPort));
    env.put("ARCHIVIST_KUBE_ETCD_PORT", Integer.toString(etcdPort));
    env.putAll(settings);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("hack/kube-up.sh failed (exit " + p.exitValue() + "):\n"
          + out);
    }
    Path kubeconfig = stateDir.resolve("kubeconfig");
    if (!Files.isRegularFile(kubeconfig)) {
      throw new IllegalStateException("hack/kube-up.sh wrote no kubeconfig at " + kubeconfig);
    }
    return new KubeBed(kubeconfig);
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  public KubernetesClient admin() {
    return admin;
  }

  /** The API server's own metrics, read with the admin client certificate. */
  PromText metrics() {
    return PromText.parse(admin.raw("/metrics"));
  }

  public void ensureNamespace(String name) {
    ensureNamespace(admin, name);
  }

  /** Creates namespace {@code name} with {@code client}; one that already exists is left. */
  public static void ensureNamespace(KubernetesClient client, String name) {
    String body = "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\""
        + name + "\"}}";
    try {
      client.raw("/api/v1/namespaces", "POST", body);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }

  @Override
  public void close() {
    admin.close();
  }
}
