package dev.archivist.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Finds or starts this JVM's {@link TestCluster}, once, and remembers why there is none.
 *
 * <p>In order: {@value #KUBECONFIG_ENV} (a kubeconfig of a server someone else runs); else the
 * binaries in {@value #BIN_ENV}; else the binaries {@code hack/kube/build.sh} already built (this
 * never starts a build of several minutes). With none of them the tests skip, saying which
 * variable to set, unless {@value #REQUIRED_ENV} is {@code true}, as CI sets it: then they fail.
 *
 * <p>A managed server is stopped, and its state folder removed, by a shutdown hook.
 *
 * <p>Thread-safety: everything is synchronized on the class; the cluster, once made, is shared.
 */
final class KubeServers {
  static final String KUBECONFIG_ENV = "ARCHIVIST_TEST_KUBECONFIG";
  static final String BIN_ENV = "ARCHIVIST_TEST_KUBE_BIN";
  static final String REQUIRED_ENV = "ARCHIVIST_TEST_KUBE_REQUIRED";

  private static TestCluster cluster; // guarded by KubeServers.class
  private static String unavailable; // guarded by KubeServers.class; why there is no server
  private static RuntimeException failed; // guarded by KubeServers.class; the start that failed

  private KubeServers() {}

  static boolean required() {
    return "true".equalsIgnoreCase(System.getenv(REQUIRED_ENV));
  }

  /** Why no server can be had (without starting one), or null when one can. */
  static synchronized String unavailableReason() {
    if (cluster != null || failed != null) {
      return null;
    }
    if (unavailable == null) {
      unavailable = probe();
    }
    return unavailable;
  }

  /**
   * The cluster, started on first call.
   *
   * @throws IllegalStateException when there is none, or it failed to start (every later call
   *     throws the same failure rather than starting again)
   */
  static synchronized TestCluster get() {
    if (cluster != null) {
      return cluster;
    }
    if (failed != null) {
      throw new IllegalStateException("the test API server failed to start earlier in this run: "
          + failed.getMessage(), failed);
    }
    String reason = unavailableReason();
    if (reason != null) {
      throw new IllegalStateException(reason);
    }
    try {
      cluster = start();
      return cluster;
    } catch (RuntimeException e) {
      failed = e;
      throw e;
    }
  }

  private static TestCluster start() {
    Path root = repoRoot();
    String kubeconfig = System.getenv(KUBECONFIG_ENV);
    TestCluster c;
    if (kubeconfig != null && !kubeconfig.isBlank()) {
      c = new TestCluster(Path.of(kubeconfig.trim()), KUBECONFIG_ENV + "=" + kubeconfig.trim(),
          null);
    } else {
      Path bin = binaries();
      long t0 = System.nanoTime();
      LocalApiServer local = LocalApiServer.start(root, bin);
      c = new TestCluster(local.kubeconfig(), "kube-apiserver started by this test run in "
          + local.directory(), local);
      Runtime.getRuntime().addShutdownHook(new Thread(c::close, "kube-test-server-stop"));
      System.err.printf("kube: test API server %s ready in %d s (binaries %s, state %s)%n",
          c.serverUrl(), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0), bin,
          local.directory());
    }
    c.ensureWorkflowCrd(root.resolve("hack/kube/workflow-crd.yaml"));
    return c;
  }

  private static String probe() {
    String kubeconfig = System.getenv(KUBECONFIG_ENV);
    if (kubeconfig != null && !kubeconfig.isBlank()) {
      return Files.isReadable(Path.of(kubeconfig.trim())) ? null
          : KUBECONFIG_ENV + "=" + kubeconfig.trim() + " is not a readable file";
    }
    String root = System.getProperty(Fixtures.REPO_ROOT_PROPERTY);
    if (root == null || root.isBlank()) {
      return "system property " + Fixtures.REPO_ROOT_PROPERTY + " is unset (surefire sets it"
          + " from the root pom), so hack/kube-up.sh cannot be found; set " + KUBECONFIG_ENV
          + " to run the real API server tests";
    }
    String bin = System.getenv(BIN_ENV);
    if (bin != null && !bin.isBlank()) {
      return missingBinaries(Path.of(bin.trim()), BIN_ENV + "=" + bin.trim());
    }
    Path built = cachedBuild(Path.of(root));
    return built != null ? null : "no real Kubernetes API server: " + KUBECONFIG_ENV + " and "
        + BIN_ENV + " are unset and hack/kube/build.sh has not built the binaries yet (run it"
        + " once, a few minutes, or set one of the two variables)";
  }

  private static String missingBinaries(Path bin, String origin) {
    for (String b : new String[] {"etcd", "kube-apiserver", "kubectl"}) {
      if (!Files.isExecutable(bin.resolve(b))) {
        return origin + " has no executable " + b;
      }
    }
    return null;
  }

  private static Path binaries() {
    String bin = System.getenv(BIN_ENV);
    if (bin != null && !bin.isBlank()) {
      return Path.of(bin.trim());
    }
    return cachedBuild(repoRoot());
  }

  private static Path repoRoot() {
    return Path.of(System.getProperty(Fixtures.REPO_ROOT_PROPERTY)).toAbsolutePath().normalize();
  }

  /** The folder {@code hack/kube/build.sh --cached} prints, or null when nothing is built. */
  private static Path cachedBuild(Path root) {
    ProcessBuilder pb = new ProcessBuilder("bash",
        root.resolve("hack/kube/build.sh").toString(), "--cached")
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    try {
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || out.isEmpty()) {
        return null;
      }
      Path dir = Path.of(out);
      return missingBinaries(dir, dir.toString()) == null ? dir : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
