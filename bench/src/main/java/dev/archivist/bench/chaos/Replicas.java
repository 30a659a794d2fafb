package dev.archivist.bench.chaos;

import dev.archivist.bench.e2e.Child;
import dev.archivist.bench.e2e.PromText;
import dev.archivist.bench.e2e.SampledMain;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code archivist run} replicas under test, each a child JVM (through {@link SampledMain}, so
 * its live heap is sampled) on its own HTTP port, all with the same flags and leader election.
 * A replica killed with SIGKILL is started again on the same port, as a Deployment would.
 *
 * <p>Used from the campaign's one thread; the children's own reader threads only set their
 * volatile figures.
 */
final class Replicas implements AutoCloseable {
  private final List<String> runArgs;
  private final List<String> jvmArgs;
  private final int basePort;
  private final Path logDir;
  private final Child[] children;
  private final int[] incarnation;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();
  private double cpuOfDead; // guarded by this
  private long peakOfDead; // guarded by this
  private final List<String> exits = new ArrayList<>(); // guarded by this
  private Thread supervisor;
  private volatile boolean closing;

  Replicas(int count, List<String> runArgs, List<String> jvmArgs, int basePort, Path logDir) {
    this.runArgs = List.copyOf(runArgs);
    this.jvmArgs = List.copyOf(jvmArgs);
    this.basePort = basePort;
    this.logDir = logDir;
    this.children = new Child[count];
    this.incarnation = new int[count];
  }

  /**
   * Starts every replica, and a supervisor that starts again, as a Deployment would, any replica
   * that exits by itself (one that lost its lease exits on purpose; one that cannot reach the
   * database at start refuses to run).
   */
  void startAll() {
    for (int i = 0; i < children.length; i++) {
      start(i);
    }
    supervisor = new Thread(this::supervise, "chaos-replicas");
    supervisor.setDaemon(true);
    supervisor.start();
  }

  private void supervise() {
    while (!closing) {
      for (int i = 0; i < children.length; i++) {
        synchronized (this) {
          Child c = children[i];
          if (!closing && !c.isAlive()) {
            exits.add(java.time.Instant.now() + " replica " + i + " (incarnation "
                + incarnation[i] + ") exited by itself; see " + c.log().getFileName());
            retire(c);
            start(i);
          }
        }
      }
      try {
        Thread.sleep(2000);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** The replicas that exited by themselves, and when. */
  synchronized List<String> exits() {
    return List.copyOf(exits);
  }

  private void retire(Child c) {
    cpuOfDead += Math.max(0, c.cpuSeconds());
    peakOfDead = Math.max(peakOfDead, c.peakHeap());
  }

  private synchronized void start(int i) {
    List<String> args = new ArrayList<>(List.of("dev.archivist.app.Main", "run"));
    args.addAll(runArgs);
    args.add("--http-port");
    args.add(Integer.toString(port(i)));
    incarnation[i]++;
    children[i] = Child.start(jvmArgs, SampledMain.class.getName(), args,
        logDir.resolve("replica-" + i + "-" + incarnation[i] + ".log"));
  }

  int count() {
    return children.length;
  }

  int port(int i) {
    return basePort + i;
  }

  /** The replica that says it leads ({@code archivist_leader} 1), or -1. */
  int leader() {
    for (int i = 0; i < children.length; i++) {
      if (children[i].isAlive() && metric(i, "archivist_leader") >= 1) {
        return i;
      }
    }
    return -1;
  }

  /** A series summed over its labels from replica {@code i}'s /metrics; -1 when unreachable. */
  double metric(int i, String name) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port(i) + "/metrics")).timeout(Duration.ofSeconds(5))
          .build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return -1;
      }
      return PromText.parse(r.body()).sum(name, s -> true);
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /**
   * SIGKILL to replica {@code i} and, once it is gone, a new JVM in its place (the supervisor
   * does not count it as an exit of its own).
   */
  synchronized void killAndRestart(int i) {
    Child c = children[i];
    retire(c);
    ProcessHandle.of(c.pid()).ifPresent(p -> {
      p.destroyForcibly();
      p.onExit().join();
    });
    start(i);
  }

  boolean allAlive() {
    for (Child c : children) {
      if (!c.isAlive()) {
        return false;
      }
    }
    return true;
  }

  /** CPU seconds of every incarnation so far. */
  synchronized double cpuSeconds() {
    double sum = cpuOfDead;
    for (Child c : children) {
      sum += Math.max(0, c.cpuSeconds());
    }
    return sum;
  }

  /** The largest live heap (after a full GC) any incarnation reported. */
  synchronized long peakHeap() {
    long peak = peakOfDead;
    for (Child c : children) {
      peak = Math.max(peak, c.peakHeap());
    }
    return peak;
  }

  boolean outOfMemory() {
    for (Child c : children) {
      if (c.outOfMemory()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    closing = true;
    if (supervisor != null) {
      supervisor.interrupt();
    }
    for (Child c : children) {
      if (c != null) {
        c.close();
      }
    }
  }
}
