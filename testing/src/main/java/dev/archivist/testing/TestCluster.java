package dev.archivist.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The real Kubernetes API server of this JVM's tests, with the Argo Workflow CRD installed: the
 * one {@value KubeServers#KUBECONFIG_ENV} names, else etcd and kube-apiserver that this JVM
 * started once (from {@value KubeServers#BIN_ENV}, or the binaries {@code hack/kube/build.sh}
 * built) and stops when the run ends. {@link KubeExtension} injects it.
 *
 * <p>Tests may kill and restart the API server, or compact etcd, only on a server this JVM
 * started ({@link #isManaged()}); on another one those calls skip the calling test.
 *
 * <p>Thread-safety: immutable apart from the processes, which {@link LocalApiServer} guards.
 */
public final class TestCluster {
  static final String CRD_NAME = "workflows.argoproj.io";
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final Path kubeconfig;
  private final String origin;
  private final LocalApiServer local; // null for a server this JVM did not start

  TestCluster(Path kubeconfig, String origin, LocalApiServer local) {
    this.kubeconfig = kubeconfig;
    this.origin = origin;
    this.local = local;
  }

  /** The admin kubeconfig (a system:masters client certificate for a managed server). */
  public Path kubeconfig() {
    return kubeconfig;
  }

  /** A new admin client configuration; the caller may change it. */
  public Config adminConfig() {
    try {
      return Config.fromKubeconfig(Files.readString(kubeconfig));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the test kubeconfig " + kubeconfig, e);
    }
  }

  /** A new admin client; the caller closes it. */
  public KubernetesClient newAdminClient() {
    return new KubernetesClientBuilder().withConfig(adminConfig()).build();
  }

  /** The API server's URL, {@code https://127.0.0.1:<port>} for a managed server. */
  public String serverUrl() {
    return adminConfig().getMasterUrl();
  }

  /** True when this JVM started the server, so tests may kill, restart and compact it. */
  public boolean isManaged() {
    return local != null;
  }

  /**
   * Kills the API server with SIGKILL, as a crash would; etcd keeps running. Every request fails
   * until {@link #startApiServer()}. Skips the calling test on a server this JVM did not start.
   */
  public void killApiServer() {
    managed("kill the API server").killApiServer();
  }

  /** Starts the API server again (same port, keys and etcd) and returns once it is ready. */
  public void startApiServer() {
    managed("start the API server").up();
  }

  /**
   * Compacts etcd at its current revision: every older resourceVersion is gone, so a watch or a
   * list continuation from one gets {@code 410 Gone}. Skips the test on an unmanaged server.
   *
   * @return the revision compacted at
   */
  public long compactEtcd() {
    return managed("compact etcd").compact();
  }

  /**
   * Compacts etcd at {@code revision} (not above the current one): a watch resumed from
   * {@code revision - 1} is then accepted, and its first event is the write made at
   * {@code revision}, without the version before it. Skips the test on an unmanaged server.
   */
  public long compactEtcd(long revision) {
    return managed("compact etcd").compact(revision);
  }

  /** etcd's current revision: the resourceVersion of the last write. Skips when unmanaged. */
  public long etcdRevision() {
    return managed("read etcd's revision").revision();
  }

  /**
   * Every request on workflows and leases the server has answered so far, in order, from its
   * audit log (a watch counts once, when it starts). Skips the calling test on a server this JVM
   * did not start. Filter by {@link ApiRequest#namespace()} or {@link ApiRequest#user()}: the
   * log holds every test's requests.
   */
  public List<ApiRequest> requests() {
    Path log = managed("read the audit log").auditLog();
    List<ApiRequest> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    List<String> lines;
    try {
      lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the audit log " + log, e);
    }
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      Map<String, Object> event;
      try {
        event = JSON.unmarshal(line, Map.class);
      } catch (RuntimeException e) {
        continue; // the line being written as we read
      }
      if (!seen.add(String.valueOf(event.get("auditID")))) {
        continue;
      }
      Map<?, ?> user = map(event.get("user"));
      Map<?, ?> ref = map(event.get("objectRef"));
      Map<?, ?> status = map(event.get("responseStatus"));
      Object code = status.get("code");
      out.add(new ApiRequest(str(event.get("verb")), str(event.get("requestURI")),
          str(user.get("username")), str(event.get("userAgent")), str(ref.get("resource")),
          str(ref.get("namespace")), str(ref.get("name")),
          code instanceof Number n ? n.intValue() : 0));
    }
    return out;
  }

  private static Map<?, ?> map(Object o) {
    return o instanceof Map<?, ?> m ? m : Map.of();
  }

  private static String str(Object o) {
    return o == null ? "" : o.toString();
  }

  /** Restarts the API server if a test killed it and did not start it again. */
  void ensureRunning() {
    if (local != null && !local.apiServerRunning()) {
      local.up();
    }
  }

  private LocalApiServer managed(String what) {
    Assumptions.assumeTrue(local != null, () -> "cannot " + what + " of " + origin
        + ": only a server this test run started (unset " + KubeServers.KUBECONFIG_ENV + ")");
    return local;
  }

  /** Creates the Workflow CRD if the server has none (an unmanaged server may lack it). */
  void ensureWorkflowCrd(Path crdManifest) {
    try (KubernetesClient client = newAdminClient()) {
      if (client.apiextensions().v1().customResourceDefinitions().withName(CRD_NAME).get()
          != null) {
        return;
      }
      try (InputStream in = Files.newInputStream(crdManifest)) {
        List<HasMetadata> objects = client.load(in).items();
        for (HasMetadata o : objects) {
          client.resource(o).create();
        }
      }
      client.apiextensions().v1().customResourceDefinitions().withName(CRD_NAME)
          .waitUntilCondition(crd -> crd != null && crd.getStatus() != null
              && crd.getStatus().getConditions().stream().anyMatch(c ->
                  "Established".equals(c.getType()) && "True".equals(c.getStatus())),
              60, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + crdManifest, e);
    }
  }

  void close() {
    if (local != null) {
      local.close();
    }
  }

  @Override
  public String toString() {
    return "TestCluster[" + origin + "]";
  }
}
