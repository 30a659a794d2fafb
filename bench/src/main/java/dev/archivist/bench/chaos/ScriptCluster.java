package dev.archivist.bench.chaos;

import dev.archivist.bench.e2e.KubeBed;
import dev.archivist.testing.EtcdGateway;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code hack/kube-up.sh}'s etcd and API server in the campaign's own state folder: watches served
 * by etcd (no watch cache) and no periodic compaction, so that only {@link #compactEtcd()}
 * compacts. The API server is killed through the pid file the script wrote, and started again by
 * running the script, which starts only what is not running.
 */
final class ScriptCluster implements ChaosCluster, AutoCloseable {
  private static final Map<String, String> SETTINGS = Map.of(
      "ARCHIVIST_KUBE_WATCH_CACHE", "false",
      "ARCHIVIST_KUBE_ETCD_COMPACTION_INTERVAL", "0");

  private final Path repoRoot;
  private final Path stateDir;
  private final int apiPort;
  private final int etcdPort;
  private final KubeBed bed;
  private final EtcdGateway etcd;

  private ScriptCluster(Path repoRoot, Path stateDir, int apiPort, int etcdPort, KubeBed bed) {
    this.repoRoot = repoRoot;
    this.stateDir = stateDir;
    this.apiPort = apiPort;
    this.etcdPort = etcdPort;
    this.bed = bed;
    this.etcd = new EtcdGateway(etcdPort);
  }

  static ScriptCluster up(Path repoRoot, Path stateDir, int apiPort, int etcdPort)
      throws IOException, InterruptedException {
    KubeBed bed = KubeBed.up(repoRoot, stateDir, apiPort, etcdPort, SETTINGS);
    // The state folder keeps the ports of its first start; read them back.
    Map<String, String> ports = Files.readAllLines(stateDir.resolve("ports.env")).stream()
        .filter(l -> l.contains("=")).collect(java.util.stream.Collectors.toMap(
            l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1)));
    return new ScriptCluster(repoRoot, stateDir, Integer.parseInt(ports.get("api_port")),
        Integer.parseInt(ports.get("etcd_port")), bed);
  }

  KubeBed bed() {
    return bed;
  }

  @Override
  public Path kubeconfig() {
    return bed.kubeconfig();
  }

  @Override
  public void killApiServer() {
    try {
      long pid = Long.parseLong(Files.readString(stateDir.resolve("kube-apiserver.pid")).trim());
      ProcessHandle.of(pid).filter(p -> p.info().command().map(c -> c.endsWith("/kube-apiserver"))
          .orElse(false)).ifPresent(p -> {
            p.destroyForcibly();
            try {
              p.onExit().get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IllegalStateException("interrupted waiting for kube-apiserver (pid "
                  + pid + ") to exit", e);
            } catch (ExecutionException | TimeoutException e) {
              throw new IllegalStateException("kube-apiserver (pid " + pid + ") did not exit"
                  + " within 30 s of SIGKILL", e);
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("no kube-apiserver.pid in " + stateDir, e);
    }
  }

  @Override
  public void startApiServer() {
    try {
      KubeBed.up(repoRoot, stateDir, apiPort, etcdPort, SETTINGS).close();
    } catch (IOException e) {
      throw new UncheckedIOException("hack/kube-up.sh could not restart the API server", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while restarting the API server", e);
    }
  }

  @Override
  public long compactEtcd() {
    return etcd.compact();
  }

  @Override
  public void close() {
    bed.close();
  }
}
