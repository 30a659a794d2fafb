package dev.archivist.bench.chaos;

import java.nio.file.Path;

/**
 * The real API server and etcd under the campaign, and the faults it can inject into them. The
 * benchmark runs its own ({@link ScriptCluster}); the short version in the tests adapts the test
 * run's cluster. Either way the API server must serve watches from etcd (no watch cache), so that
 * a watch resumed from a compacted revision gets {@code 410 Gone}.
 */
public interface ChaosCluster {
  /** The admin kubeconfig. */
  Path kubeconfig();

  /** SIGKILL to the API server; etcd keeps running. Returns once the process is gone. */
  void killApiServer();

  /** Starts the API server again (same port, keys and etcd); returns once it is ready. */
  void startApiServer();

  /** Compacts etcd at its current revision; returns that revision. */
  long compactEtcd();
}
