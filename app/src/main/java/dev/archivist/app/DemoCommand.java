package dev.archivist.app;

import dev.archivist.app.db.EmbeddedDatabase;
import dev.archivist.app.demo.DemoCluster;
import dev.archivist.app.demo.DemoWorkload;
import dev.archivist.controller.ArchiveController;
import dev.archivist.controller.ControllerConfig;
import dev.archivist.controller.ControllerStats;
import dev.archivist.controller.KubeClients;
import dev.archivist.controller.LifecycleConfig;
import dev.archivist.metrics.HeapAfterGc;
import dev.archivist.server.ArchiveServer;
import dev.archivist.server.ServerOptions;
import dev.archivist.store.ArchiveStore;
import dev.archivist.store.argo.ArgoNodesConfig;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code archivist demo}: the whole pipeline on one machine. An in-process Kubernetes API (the
 * fabric8 mock server, CRUD mode, on loopback), an embedded PostgreSQL (unless {@code --db}), and
 * the same controller and server as {@code run}, fed by {@link DemoWorkload}.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Run everything on this machine: generated workflows, archived live.",
        "",
        "No cluster and no database server needed: an in-process Kubernetes API, an embedded"
            + " PostgreSQL, generated workflows that run and complete, and the same controller"
            + " and HTTP server as 'run'. Archived workflows leave the in-process cluster 10 s"
            + " later, as with 'run --delete-after 10s'.",
        "",
        "Shows progress (archived/s, queue depth, heap after GC), prints a summary, then keeps"
            + " serving the API and UI until Ctrl-C (or exits, with --exit-when-done)."},
    footer = {"", "Examples:",
        "  archivist demo",
        "  archivist demo --workflows 5000 --archive-qps 200 --max-size 256KiB --fresh",
        "",
        "Every option also reads ARCHIVIST_<OPTION> (--workflows -> ARCHIVIST_WORKFLOWS)."})
final class DemoCommand extends RunningCommand {
  @Spec
  CommandSpec spec;

  @Option(names = "--workflows", paramLabel = "N", defaultValue = "500",
      description = "How many workflows to generate (default: ${DEFAULT-VALUE}).")
  int workflows;

  @Option(names = "--archive-qps", paramLabel = "QPS", defaultValue = "100",
      description = "Workflows archived per second at most; 0 means no limit"
          + " (default: ${DEFAULT-VALUE}).")
  double archiveQps;

  @Option(names = "--size", paramLabel = "SIZE", converter = Sizes.Converter.class,
      description = "Make every workflow about SIZE bytes (sets --min-size and --max-size).")
  Integer size;

  @Option(names = "--min-size", paramLabel = "SIZE", defaultValue = "2KiB",
      converter = Sizes.Converter.class,
      description = "The smallest workflow, in bytes of JSON (default: ${DEFAULT-VALUE}).")
  int minSize;

  @Option(names = "--max-size", paramLabel = "SIZE", defaultValue = "64KiB",
      converter = Sizes.Converter.class,
      description = "The largest workflow (default: ${DEFAULT-VALUE}); sizes are spread"
          + " log-uniformly in between.")
  int maxSize;

  @Option(names = "--in-flight", paramLabel = "N", defaultValue = "64",
      description = "Workflows running at once in the generator (default: ${DEFAULT-VALUE}).")
  int inFlight;

  @Option(names = "--seed", paramLabel = "N",
      description = "The random seed, for the same workflows every time (default: random).")
  Long seed;

  @Option(names = "--fresh",
      description = "Start with an empty embedded database (deletes DIR/postgres first).")
  boolean fresh;

  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "archivist-data",
      description = "Where the embedded PostgreSQL keeps its data (default: ./${DEFAULT-VALUE})."
          + " It persists: a second demo adds to the same archive.")
  Path dataDir;

  @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "8080",
      description = "The port of the API and UI on localhost; 0 picks a free one"
          + " (default: ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(names = "--kubeconfig", paramLabel = "FILE",
      description = "Generate the workflows on this API server instead of an in-process one"
          + " (for example hack/kube-up.sh's target/kube/kubeconfig). Its server must be on"
          + " loopback: the demo creates workflows there.")
  Path kubeconfig;

  @Option(names = "--exit-when-done",
      description = "Exit after the summary instead of serving until Ctrl-C (exit code 1 if"
          + " not every workflow was archived).")
  boolean exitWhenDone;

  @Mixin
  ArchiveTuningOptions tuning;

  @Mixin
  DatabaseOptions db;

  @Mixin
  ScopeOptions scope;

  /**
   * As {@code run --delete-after 10s} would: an archived workflow leaves the in-process cluster
   * ten seconds after it was archived, so the cluster stays small, as the archive is meant to
   * keep it, and the heap this JVM shares with it stays flat.
   */
  private static final Duration DEMO_DELETE_AFTER = Duration.ofSeconds(10);

  private static final LifecycleConfig DEMO_LIFECYCLE =
      LifecycleConfig.defaults().withDeleteAfter(DEMO_DELETE_AFTER);

  @Override
  public Integer call() throws InterruptedException {
    Main root = Main.root(spec);
    validate();
    PrintWriter out = spec.commandLine().getOut();
    ControllerConfig config = Components.validated(spec,
        () -> Components.controllerConfig(List.of(), scope, "", archiveQps, tuning));
    ServerOptions serverOptions = Components.validated(spec,
        () -> ServerOptions.defaults().withPort(httpPort).withBindAddress("127.0.0.1"));

    Lifecycle lifecycle = startLifecycle(!exitWhenDone);
    try {
      if (fresh) {
        EmbeddedDatabase.wipe(dataDir);
        out.println("demo: --fresh: deleted the embedded database under "
            + dataDir.toAbsolutePath().normalize());
      }
      ArchiveStore store = Archives.open(db, scope, dataDir, root.env(), lifecycle);
      out.println("demo: " + Archives.describe(Archives.migrate(store, db)));
      KubernetesClient client = kubeconfig == null
          ? lifecycle.add("in-process Kubernetes API", DemoCluster.start()).client()
          : lifecycle.add("Kubernetes client", loopbackClient(kubeconfig));
      PrometheusMeterRegistry registry = Components.newRegistry(lifecycle);
      ArchiveController controller = lifecycle.add("controller",
          Components.startController(client, store, config,
              DEMO_LIFECYCLE, registry, root.clock(), () -> { },
              store.nodeRestorer(ArgoNodesConfig.defaults())));
      ArchiveServer server = lifecycle.add("HTTP server", Components.startServer(store,
          serverOptions, registry, controller));
      String url = "http://localhost:" + server.port() + "/";

      long actualSeed = seed != null ? seed : System.nanoTime();
      out.printf(Locale.ROOT, "demo: generating %d workflows of %s to %s (seed %d) in"
          + " namespaces %s; archiving at %s%n", workflows, Sizes.format(minSize),
          Sizes.format(maxSize), actualSeed, DemoCluster.namespaces(),
          archiveQps == 0 ? "no rate limit" : Flags.number(archiveQps) + " workflows/s");
      out.println("demo: API and UI at " + url);
      out.flush();
      DemoWorkload workload = lifecycle.add("demo workload", DemoWorkload.start(
          client, new DemoWorkload.Options(workflows, minSize, maxSize, inFlight,
              actualSeed), root.clock()));
      DemoProgress progress = new DemoProgress(out, System.console() != null,
          () -> snapshot(controller.stats(), workload), DemoCommand::heapAfterGc, root.clock(),
          Duration.ofSeconds(3));
      lifecycle.add("progress", progress);
      progress.start();
      progress.awaitComplete();
      if (!progress.isComplete()) {
        return ExitCodes.OK; // Ctrl-C during the run: the lifecycle is closing everything.
      }
      progress.close(); // the summary replaces the progress line
      DemoProgress.Snapshot last = progress.lastSnapshot();
      summary(out, last, workload, progress.elapsed(), url);
      if (exitWhenDone) {
        return last.archived() >= workflows ? ExitCodes.OK : ExitCodes.ERROR;
      }
      out.println("demo: serving until Ctrl-C. Try: curl '" + url
          + "api/v1/archived-workflows?listOptions.limit=5'");
      out.flush();
      lifecycle.awaitClosed();
      return ExitCodes.OK;
    } finally {
      finishLifecycle(lifecycle);
    }
  }

  /**
   * A client of the API server {@code file} names, with the demo's namespaces created there when
   * missing. {@link #validate} has checked that the server is on loopback.
   */
  private KubernetesClient loopbackClient(Path file) {
    KubernetesClient client = KubeClients.create(file.toString(), 0, 0, Duration.ofSeconds(30));
    for (String ns : DemoCluster.namespaces()) {
      if (client.namespaces().withName(ns).get() == null) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns)
            .endMetadata().build()).create();
      }
    }
    return client;
  }

  /**
   * Refuses a kubeconfig whose server is not on loopback: the demo creates and deletes workflows,
   * and must not do so on a real cluster by mistake. Reads the file only; connects to nothing.
   */
  private void requireLoopback(Path file) {
    String master;
    try (KubernetesClient client = Components.validated(spec,
        () -> KubeClients.create(file.toString(), 0, 0, Duration.ofSeconds(30)))) {
      master = client.getConfiguration().getMasterUrl();
    }
    String host = URI.create(master).getHost();
    boolean loopback;
    try {
      loopback = host != null && InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      loopback = false;
    }
    if (!loopback) {
      throw new ParameterException(spec.commandLine(), "--kubeconfig: the demo creates"
          + " workflows, so it runs only against an API server on loopback; " + file
          + " names " + master);
    }
  }

  private void validate() {
    if (kubeconfig != null) {
      requireLoopback(kubeconfig);
    }
    db.validate();
    scope.validate();
    tuning.validate();
    Flags.atLeast(spec, "--workflows", workflows, 0);
    Flags.atLeast(spec, "--archive-qps", archiveQps, 0);
    Flags.atLeast(spec, "--in-flight", inFlight, 1);
    Flags.inRange(spec, "--http-port", httpPort, 0, 65535);
    if (size != null) {
      minSize = size;
      maxSize = size;
    }
    Flags.atLeast(spec, size != null ? "--size" : "--min-size", minSize, 512);
    if (maxSize < minSize) {
      throw Flags.invalid(spec, "--max-size", "must be >= --min-size (" + Sizes.format(minSize)
          + "), got " + Sizes.format(maxSize));
    }
    if (fresh && db.isSet()) {
      throw Flags.invalid(spec, "--fresh", "only applies to the embedded database; with --db,"
          + " empty the database yourself");
    }
  }

  private DemoProgress.Snapshot snapshot(ControllerStats stats, DemoWorkload workload) {
    boolean complete = workload.isDone() && stats.synced() && stats.pending() == 0
        && stats.queueDepth() == 0
        && stats.archived() + stats.quarantined() >= workload.completed();
    return new DemoProgress.Snapshot(stats.archived(), workflows, workload.created(),
        workload.completed(), stats.queueDepth(), stats.pending(), stats.failures(), complete);
  }

  private static void summary(PrintWriter out, DemoProgress.Snapshot s, DemoWorkload workload,
      Duration elapsed, String url) {
    double seconds = Math.max(0.001, elapsed.toMillis() / 1000.0);
    out.println();
    out.println("demo: done.");
    out.printf(Locale.ROOT, "  archived   %d of %d workflows%n", s.archived(), s.total());
    out.printf(Locale.ROOT, "  failures   %d archive attempts failed (and were retried)%n",
        s.failures());
    if (workload.abandoned() > 0 || workload.failure() != null) {
      out.printf(Locale.ROOT, "  generator  %d workflows abandoned after API errors%s%n",
          workload.abandoned(), workload.failure() == null ? ""
              : "; stopped early: " + Main.describe(workload.failure()));
    }
    out.printf(Locale.ROOT, "  elapsed    %.1f s%n", seconds);
    out.printf(Locale.ROOT, "  rate       %.1f workflows/s%n", s.archived() / seconds);
    out.println("  API        " + url + "api/v1/archived-workflows");
    out.println("  UI         " + url);
    out.println("  metrics    " + url + "metrics");
    out.flush();
  }

  /**
   * Heap after GC, the figure the UI's status panel and {@code /metrics} show too, right after a
   * full collection, so that it is the live heap, as {@code bench/memory} measures it. One full
   * collection per progress line costs the demo little.
   */
  private static long heapAfterGc() {
    System.gc();
    return HeapAfterGc.bytes();
  }
}
