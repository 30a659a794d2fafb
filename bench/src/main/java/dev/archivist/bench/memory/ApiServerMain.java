package dev.archivist.bench.memory;

import dev.archivist.app.demo.DemoCluster;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;

/**
 * The Kubernetes side of the memory benchmark, in its own JVM with ample heap: fabric8's mock API
 * server in CRUD mode on loopback, the load generator, and (optionally) a stand-in for Argo's
 * workflow GC that deletes workflows once they are labelled {@code Archived}.
 *
 * <p>It talks to the orchestrator over stdin/stdout: it prints {@code @@READY <port>}, starts
 * generating on {@code GO}, prints {@code @@PROGRESS ...} lines every half second and
 * {@code @@GENERATED ...} at the end, and exits on {@code STOP} or when stdin closes (so it never
 * outlives the orchestrator).
 *
 * <p>Arguments: {@code port workflows sizeBytes updates generateQps clients fixturesDir
 * gcArchived}.
 */
public final class ApiServerMain {
  private ApiServerMain() {}

  /** CPU time this JVM has used, to tell whether the API side was saturated. */
  static long cpuMillis() {
    var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun
        ? sun.getProcessCpuTime() / 1_000_000 : -1;
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 8) {
      System.err.println("usage: ApiServerMain port workflows sizeBytes updates generateQps"
          + " clients fixturesDir gcArchived");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    int workflows = Integer.parseInt(args[1]);
    int sizeBytes = Integer.parseInt(args[2]);
    int updates = Integer.parseInt(args[3]);
    double generateQps = Double.parseDouble(args[4]);
    int clients = Integer.parseInt(args[5]);
    Path fixtures = Path.of(args[6]);
    boolean gcArchived = Boolean.parseBoolean(args[7]);

    // The mock server logs every request at INFO through java.util.logging; at thousands of
    // requests a second that logging alone would be the bottleneck.
    java.util.logging.Logger.getLogger("io.fabric8.mockwebserver").setLevel(Level.WARNING);
    java.util.logging.Logger.getLogger("").setLevel(Level.WARNING);

    KubernetesCrudDispatcher dispatcher = new LeanCrudDispatcher(List.of(BenchWorkflows.crd()));
    KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(),
        new HashMap<>(), dispatcher, false);
    server.init(InetAddress.getLoopbackAddress(), port);
    DemoCluster.discardRequestJournal(server, "api-journal-drain");
    String masterUrl = "http://127.0.0.1:" + server.getPort();

    WorkflowFactory factory = new WorkflowFactory(sizeBytes, updates, fixtures,
        Instant.parse("2026-01-01T00:00:00Z"));
    ArchivedSweeper sweeper = gcArchived ? ArchivedSweeper.start(masterUrl) : null;
    LoadGenerator generator = new LoadGenerator(masterUrl, factory, workflows, updates,
        generateQps, clients);
    long warmStart = System.nanoTime();
    generator.warmUp(Math.min(100, workflows));
    System.err.println("api: warmed up in " + (System.nanoTime() - warmStart) / 1_000_000 + " ms");
    Protocol.emit("READY " + server.getPort() + " spec=" + factory.specSource()
        + " nodes=" + factory.nodesAtCompletion()
        + " completedBytes=" + WorkflowFactory.sizeOf(factory.version(0, updates + 1)));

    BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
        StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.equals("GO")) {
        generator.start(s -> Protocol.emit("GENERATED " + s.millis() + " " + s.completed() + " "
            + s.failures() + " " + cpuMillis()));
        Thread reporter = new Thread(() -> {
          while (true) {
            LoadGenerator.Progress p = generator.progress();
            Protocol.emit("PROGRESS " + p.created() + " " + p.completed() + " " + p.failures()
                + " " + (sweeper == null ? 0 : sweeper.deleted()));
            LockSupport.parkNanos(500_000_000L);
          }
        }, "progress");
        reporter.setDaemon(true);
        reporter.start();
      } else if (line.equals("STOP")) {
        break;
      }
    }
    // The orchestrator is gone or done: nothing here is worth a graceful shutdown.
    Runtime.getRuntime().halt(0);
  }
}
