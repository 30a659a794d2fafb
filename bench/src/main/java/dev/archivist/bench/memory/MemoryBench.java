package dev.archivist.bench.memory;

import dev.archivist.core.Redaction;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench/memory}: how the heap of three archiver designs grows with the archive backlog.
 *
 * <p>For every mode it starts a fresh API JVM (fabric8's mock API server in CRUD mode, the load
 * generator, and a stand-in for workflow GC) and a fresh measured JVM with the same {@code -Xmx},
 * all against a fresh schema of the same PostgreSQL database. The generator completes workflows
 * faster than the archive rate limit lets any mode archive them, so a backlog builds; the
 * measured JVM reports its live heap every second; the orchestrator pairs each sample with the
 * backlog (completed by the generator minus rows in the mode's table) and fits a line.
 *
 * <p>Writes {@code memory.json}, {@code memory.csv} and {@code memory.png} under {@code --out},
 * prints a markdown table on stdout, and progress on stderr. Exits 0 when every mode ran to an
 * outcome (out of memory is an outcome), 1 when a mode could not be run at all.
 */
public final class MemoryBench {
  private MemoryBench() {}

  public static void main(String[] args) throws Exception {
    Path repoRoot = Path.of(System.getProperty("archivist.repo.root", ".")).toAbsolutePath();
    MemoryBenchOptions options;
    try {
      options = MemoryBenchOptions.parse(args, repoRoot);
    } catch (IllegalArgumentException e) {
      System.err.println("bench/memory: " + e.getMessage());
      System.exit(2);
      return;
    }
    Files.createDirectories(options.outDir());
    BenchDatabase database = new BenchDatabase(options.db());
    database.ensureDatabase();
    if (!Files.isDirectory(options.fixturesDir())) {
      System.err.println("[memory] " + options.fixturesDir() + " is absent: using a synthetic"
          + " spec instead of a KFP one");
    }

    Instant started = Instant.now();
    List<ModeResult> results = new ArrayList<>();
    String specSource = "";
    for (Mode mode : options.modes()) {
      ModeRun run = new ModeRun(options, mode, database);
      results.add(run.run());
      if (specSource.isEmpty()) {
        specSource = run.apiReadyLine();
      }
    }
    Duration took = Duration.between(started, Instant.now());

    Map<String, Object> settings = settings(options, specSource);
    settings.put("wall_clock_seconds", took.toSeconds());
    String json = MemoryReport.json(settings, machine(), results, options.sizeBytes());
    Path out = options.outDir();
    Files.writeString(out.resolve("memory.json"), json);
    Files.writeString(out.resolve("memory.csv"), MemoryReport.csv(results));
    String title = String.format(Locale.ROOT,
        "Heap after GC vs archive backlog: %d workflows of %s, %d updates, archive %s/s, -Xmx%s",
        options.workflows(), MemoryReport.bytes(options.sizeBytes()), options.updates(),
        trim(options.archiveQps()), options.heap());
    HeapPlot.write(HeapPlot.render(results, options.heapBytes(), title),
        out.resolve("memory.png"));

    System.out.println();
    System.out.printf(Locale.ROOT, "Memory: W=%d S=%s U=%d R=%s/s -Xmx%s (%s); wall clock %d s%n",
        options.workflows(), MemoryReport.bytes(options.sizeBytes()), options.updates(),
        trim(options.archiveQps()), options.heap(), specSource, took.toSeconds());
    System.out.println();
    System.out.print(MemoryReport.markdown(results, options.sizeBytes()));
    System.out.println();
    System.out.println("wrote " + out.resolve("memory.json") + ", memory.csv, memory.png");
    for (ModeResult r : results) {
      if (!r.oom() && r.outcome().equals("drained") && !r.complete()) {
        System.out.println("WARNING: " + r.mode().label() + " drained but the table holds "
            + r.archived() + " rows and " + r.distinctUids() + " distinct uids for "
            + r.expected() + " workflows");
      }
    }
    boolean anyFailed = results.stream().anyMatch(r -> r.outcome().equals("failed"));
    System.exit(anyFailed ? 1 : 0);
  }

  private static Map<String, Object> settings(MemoryBenchOptions o, String apiInfo) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("modes", o.modes().stream().map(Mode::label).toList());
    s.put("heap", o.heap());
    s.put("workflows", o.workflows());
    s.put("size_bytes", o.sizeBytes());
    s.put("updates", o.updates());
    s.put("archive_qps", o.archiveQps());
    s.put("generate_qps", o.generateQps());
    s.put("generator_clients", o.generatorClients());
    s.put("workers", o.workers());
    s.put("batch_size", o.batchSize());
    s.put("kube_qps", o.kubeQps());
    s.put("kube_burst", o.kubeBurst());
    s.put("api_heap", o.apiHeap());
    s.put("gc_archived", o.gcArchived());
    s.put("max_seconds", o.maxSeconds());
    s.put("gc", "G1, full GC forced once a second by the sampler");
    s.put("db", Redaction.url(o.db()));
    s.put("workload", apiInfo);
    return s;
  }

  private static Map<String, Object> machine() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", Runtime.getRuntime().availableProcessors());
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      m.put("memory_bytes", sun.getTotalMemorySize());
    }
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    return m;
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
