package dev.archivist.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * etcd and kube-apiserver started by this JVM with {@code hack/kube-up.sh}, in a state folder of
 * their own under {@code target/kube-test/} and on free loopback ports, so that parallel runs never
 * share a server. The script holds the flags; this class only chooses the folder and the ports,
 * and kills, restarts and compacts for the tests.
 *
 * <p>The API server runs with {@code --watch-cache=false}: every watch is then served by etcd, so
 * a watch resumed from a compacted revision gets {@code 410 Gone} at once, which is what a test of
 * the relist path needs to provoke on demand. The API server's own periodic compaction is off for
 * the same reason: only {@link #compact()} compacts. It writes an audit log of the requests on
 * workflows and leases, which tests read through {@link TestCluster#requests()}.
 *
 * <p>The processes outlive a JVM that is killed; the next run in the same repository stops them
 * (every state folder records its JVM's pid, and a folder whose JVM is gone is swept).
 *
 * <p>Thread-safety: the methods that change the processes are synchronized.
 */
final class LocalApiServer implements AutoCloseable {
  private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(5);

  private final Path repoRoot;
  private final Path bin;
  private final Path dir;
  private final EtcdGateway etcd;
  /** The kube-up script while it runs, so that {@link #close} can stop a start half-way. */
  private volatile Process starting;
  private volatile boolean closed;

  private LocalApiServer(Path repoRoot, Path bin, Path dir, int etcdPort) {
    this.repoRoot = repoRoot;
    this.bin = bin;
    this.dir = dir;
    this.etcd = new EtcdGateway(etcdPort);
  }

  /**
   * Starts etcd and the API server, retrying with other ports if one was taken in between.
   *
   * @throws IllegalStateException naming the script's log when it fails
   */
  static LocalApiServer start(Path repoRoot, Path bin) {
    return start(repoRoot, bin, server -> {});
  }

  /**
   * As {@link #start(Path, Path)}, handing each attempt's server to {@code created} before it
   * starts, so that a shutdown hook can stop a start that the JVM's exit interrupts.
   */
  static LocalApiServer start(Path repoRoot, Path bin,
      java.util.function.Consumer<LocalApiServer> created) {
    Path base = repoRoot.resolve("target/kube-test");
    sweepOrphans(repoRoot, base);
    IllegalStateException last = null;
    for (int attempt = 1; attempt <= 3; attempt++) {
      int[] ports = FreePorts.loopback(3);
      Path dir = base.resolve("run-" + ProcessHandle.current().pid() + "-" + attempt);
      try {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("owner.pid"), Long.toString(ProcessHandle.current().pid()));
        Files.writeString(dir.resolve("ports.env"), "api_port=" + ports[0] + "\netcd_port="
            + ports[1] + "\netcd_peer_port=" + ports[2] + "\n");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create the API server's state folder " + dir, e);
      }
      LocalApiServer server = new LocalApiServer(repoRoot, bin, dir, ports[1]);
      created.accept(server);
      try {
        server.up();
        return server;
      } catch (IllegalStateException e) {
        last = e;
        server.close();
        if (!String.valueOf(e.getMessage()).contains("is taken by another process")) {
          break;
        }
      }
    }
    throw last;
  }

  Path kubeconfig() {
    return dir.resolve("kubeconfig");
  }

  Path directory() {
    return dir;
  }

  /** The audit log: one JSON object a line (see {@code hack/kube-up.sh}). */
  Path auditLog() {
    return dir.resolve("audit.log");
  }

  /** Starts whatever is not running (both, or the API server after {@link #killApiServer}). */
  synchronized void up() {
    if (closed) {
      throw new IllegalStateException("the test API server in " + dir + " is closed");
    }
    runScript(repoRoot, dir, "hack/kube-up.sh", List.of(), p -> starting = p, Map.of(
        "ARCHIVIST_KUBE_DIR", dir.toString(),
        "ARCHIVIST_KUBE_BIN", bin.toString(),
        "ARCHIVIST_KUBE_WATCH_CACHE", "false",
        "ARCHIVIST_KUBE_AUDIT", "true",
        "ARCHIVIST_KUBE_ETCD_COMPACTION_INTERVAL", "0"));
  }

  /** True when the API server process runs (it may not be ready yet). */
  synchronized boolean apiServerRunning() {
    return process("kube-apiserver").isPresent();
  }

  /** SIGKILL to the API server, as a crash would; returns once the process is gone. */
  synchronized void killApiServer() {
    process("kube-apiserver").ifPresent(p -> {
      p.destroyForcibly();
      try {
        p.onExit().get(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while killing kube-apiserver", e);
      } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
        throw new IllegalStateException("kube-apiserver (pid " + p.pid() + ") did not exit within"
            + " 30 s of SIGKILL", e);
      }
    });
  }

  /**
   * Compacts etcd at its current revision, so that a watch or a list continuation from any older
   * resourceVersion gets 410 Gone.
   *
   * @return the revision compacted at
   */
  synchronized long compact() {
    return etcd.compact();
  }

  /** etcd's current revision: the resourceVersion of the last write to it. */
  synchronized long revision() {
    return etcd.revision();
  }

  /** Compacts etcd at {@code revision}, which must not be above the current one. */
  synchronized long compact(long revision) {
    return etcd.compact(revision);
  }

  /**
   * Stops both processes and removes the state folder; first ends a kube-up still running, which
   * would otherwise go on to start them after this returned. Not synchronized: it must not wait
   * for an {@link #up} in progress.
   */
  @Override
  public void close() {
    closed = true;
    Process p = starting;
    if (p != null && p.isAlive()) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    stop(repoRoot, dir);
  }

  private Optional<ProcessHandle> process(String name) {
    try {
      long pid = Long.parseLong(Files.readString(dir.resolve(name + ".pid")).trim());
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
          .filter(p -> p.info().command().map(c -> c.endsWith("/" + name)).orElse(false));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static void runScript(Path repoRoot, Path dir, String script, List<String> args,
      java.util.function.Consumer<Process> started, Map<String, String> env) {
    List<String> command = new ArrayList<>(List.of("bash", repoRoot.resolve(script).toString()));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).directory(repoRoot.toFile());
    pb.environment().putAll(env);
    pb.environment().put("ARCHIVIST_KUBE_DIR", dir.toString());
    Path out;
    try {
      out = Files.createTempFile("archivist-kube-script", ".log");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    pb.redirectErrorStream(true).redirectOutput(out.toFile());
    try {
      Process p = pb.start();
      started.accept(p);
      if (!p.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(script + " did not finish within " + SCRIPT_TIMEOUT
            + "; its output: " + Processes.tail(out, 30));
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(script + " (state folder " + dir + ") exited with "
            + p.exitValue() + ": " + Processes.tail(out, 30));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + script, e);
    } finally {
      try {
        Files.deleteIfExists(out);
      } catch (IOException ignored) {
        // a temporary file left behind is harmless
      }
    }
  }

  private static void stop(Path repoRoot, Path dir) {
    runScript(repoRoot, dir, "hack/kube-down.sh", List.of("--purge"), p -> {}, Map.of());
  }

  /** Stops the servers of earlier runs whose JVM is gone (killed before its shutdown). */
  private static void sweepOrphans(Path repoRoot, Path base) {
    if (!Files.isDirectory(base)) {
      return;
    }
    try (Stream<Path> dirs = Files.list(base)) {
      for (Path d : (Iterable<Path>) dirs::iterator) {
        long owner;
        try {
          owner = Long.parseLong(Files.readString(d.resolve("owner.pid")).trim());
        } catch (IOException | NumberFormatException e) {
          continue;
        }
        if (ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false)) {
          continue;
        }
        try {
          stop(repoRoot, d);
        } catch (RuntimeException e) {
          System.err.println("kube: could not stop the orphaned test API server in " + d + ": "
              + e.getMessage());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + base, e);
    }
  }
}
