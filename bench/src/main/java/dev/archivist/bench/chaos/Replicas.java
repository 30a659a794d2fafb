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
  private double cpuOfDead;
  private long peakOfDead;

  Replicas(int count, List<String> runArgs, List<String> jvmArgs, int basePort, Path logDir) {
    this.runArgs = List.copyOf(runArgs);
    this.jvmArgs = List.copyOf(jvmArgs);
    this.basePort = basePort;
    this.logDir = logDir;
    this.children = new Child[count];
    this.incarnation = new int[count];
  }

  void startAll() {
    for (int i = 0; i < children.length; i++) {
      start(i);
    }
  }

  private void start(int i) {
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

  /** SIGKILL to replica {@code i}; returns once it is gone. */
  void kill(int i) {
    Child c = children[i];
    cpuOfDead += Math.max(0, c.cpuSeconds());
    peakOfDead = Math.max(peakOfDead, c.peakHeap());
    ProcessHandle.of(c.pid()).ifPresent(p -> {
      p.destroyForcibly();
      p.onExit().join();
    });
  }

  void restart(int i) {
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
  double cpuSeconds() {
    double sum = cpuOfDead;
    for (Child c : children) {
      sum += Math.max(0, c.cpuSeconds());
    }
    return sum;
  }

  /** The largest live heap (after a full GC) any incarnation reported. */
  long peakHeap() {
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
    for (Child c : children) {
      if (c != null) {
        c.close();
      }
    }
  }
}
