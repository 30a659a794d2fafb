package dev.archivist.bench.memory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs one mode from scratch: a fresh schema, a fresh API JVM (mock server and generator), and a
 * fresh measured JVM; then records one {@link Sample} for every heap sample the measured JVM
 * reports, until every completed workflow is archived, the JVM dies, or it stalls.
 *
 * <p>Threads: the orchestrator's thread runs {@link #run} and polls the database; each child's
 * reader thread updates the volatile/atomic progress fields below and appends samples (under
 * {@code samples}' lock). Every wait has a bound, so a dead or hung child ends the run rather than
 * the benchmark.
 */
final class ModeRun {
  private static final long READY_TIMEOUT_SECONDS = 180;
  /** No archive progress for this long, with a backlog, means the mode is stuck. */
  private static final double STALL_SECONDS = 120;
  /** No heap sample for this long means the measured JVM is hung (or thrashing in GC). */
  private static final double SILENT_SECONDS = 60;

  private final MemoryBenchOptions options;
  private final Mode mode;
  private final BenchDatabase database;

  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong archived = new AtomicLong();
  private final AtomicLong deleted = new AtomicLong();
  private volatile boolean generated;
  private volatile double generateSeconds = Double.NaN;
  private volatile long generatedCompleted = -1;
  private volatile long lastSampleNanos;
  private volatile long startNanos;
  private final List<Sample> samples = new ArrayList<>();
  private final CountDownLatch apiReady = new CountDownLatch(1);
  private final CountDownLatch modeReady = new CountDownLatch(1);
  private volatile String apiReadyLine = "";

  ModeRun(MemoryBenchOptions options, Mode mode, BenchDatabase database) {
    this.options = options;
    this.mode = mode;
    this.database = database;
  }

  String apiReadyLine() {
    return apiReadyLine;
  }

  ModeResult run() throws Exception {
    String schema = "membench_" + mode.label();
    String jdbcUrl = database.freshSchema(schema);
    Path logs = options.outDir();
    log("starting the API JVM (mock server + generator, -Xmx" + options.apiHeap() + ")");
    try (ChildJvm api = ChildJvm.start("api-" + mode.label(),
            List.of("-Xmx" + options.apiHeap(), "-XX:+UseParallelGC"),
            ApiServerMain.class.getName(),
            List.of("0", Integer.toString(options.workflows()),
                Integer.toString(options.sizeBytes()), Integer.toString(options.updates()),
                Double.toString(options.generateQps()),
                Integer.toString(options.generatorClients()), options.fixturesDir().toString(),
                Boolean.toString(options.gcArchived())),
            logs, this::onApiLine);
        BenchDatabase.Counter counter = database.counter(schema)) {
      if (!apiReady.await(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        return failed("the API JVM did not get ready in " + READY_TIMEOUT_SECONDS + " s; see "
            + api.log());
      }
      log("API ready: " + apiReadyLine);
      int port = Integer.parseInt(apiReadyLine.split(" ")[0]);
      Path kubeconfig = writeKubeconfig(logs, port);

      log("starting the measured JVM (-Xmx" + options.heap() + ")");
      try (ChildJvm measured = ChildJvm.start(mode.label(),
          List.of("-Xmx" + options.heap(), "-Xms" + options.heap(), "-XX:+UseG1GC",
              "-XX:+ExitOnOutOfMemoryError"),
          ModeMain.class.getName(),
          List.of(mode.label(), kubeconfig.toString(), jdbcUrl,
              Double.toString(options.archiveQps()), Integer.toString(options.workers()),
              Integer.toString(options.batchSize()), Double.toString(options.kubeQps()),
              Integer.toString(options.kubeBurst())),
          logs, this::onModeLine)) {
        if (!awaitReady(measured)) {
          return failed("the " + mode.label() + " JVM did not get ready ("
              + measured.exitCode().map(c -> "exit code " + c).orElse("timed out after "
              + READY_TIMEOUT_SECONDS + " s") + "); see " + measured.log());
        }
        startNanos = System.nanoTime();
        lastSampleNanos = startNanos;
        api.send("GO");
        log("generating " + options.workflows() + " workflows at up to " + options.generateQps()
            + "/s; archiving at " + options.archiveQps() + "/s");
        return watch(api, measured, counter);
      }
    }
  }

  private boolean awaitReady(ChildJvm measured) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_TIMEOUT_SECONDS);
    while (System.nanoTime() < deadline) {
      if (modeReady.await(500, TimeUnit.MILLISECONDS)) {
        return true;
      }
      if (!measured.isAlive()) {
        return false;
      }
    }
    return false;
  }

  private ModeResult watch(ChildJvm api, ChildJvm measured, BenchDatabase.Counter counter)
      throws Exception {
    double lastProgressSeconds = 0;
    long lastArchived = -1;
    long lastLog = 0;
    // A generous overall bound: the whole archive at the rate limit, three times over.
    double deadline = 600 + 3.0 * options.workflows() / options.archiveQps();
    while (true) {
      archived.set(counter.rows());
      double t = seconds(System.nanoTime());
      if (archived.get() != lastArchived) {
        lastArchived = archived.get();
        lastProgressSeconds = t;
      }
      if ((long) t / 10 != lastLog) {
        lastLog = (long) t / 10;
        log(String.format(Locale.ROOT,
            "t=%4.0fs completed=%d archived=%d backlog=%d deleted=%d heap=%s", t,
            completed.get(), archived.get(), Math.max(0, completed.get() - archived.get()),
            deleted.get(), mib(lastHeap())));
      }
      if (!measured.isAlive()) {
        measured.awaitOutput(java.time.Duration.ofSeconds(5));
        int code = measured.exitCode().orElse(-1);
        var oom = measured.oomLine();
        if (oom.isPresent() || code == 3) {
          return finish(counter, "oom", oom.orElse("exit code " + code), t);
        }
        return finish(counter, "failed", "the " + mode.label() + " JVM exited with code " + code
            + "; see " + measured.log(), t);
      }
      if (generated && archived.get() >= generatedCompleted) {
        measured.writeHistogram(options.outDir().resolve("memory-" + mode.label()
            + "-histogram.txt"));
        return finish(counter, "drained", "archived all " + generatedCompleted, t);
      }
      if (!api.isAlive()) {
        return finish(counter, "failed", "the API JVM died; see " + api.log(), t);
      }
      if (seconds(lastSampleNanos) < t - SILENT_SECONDS) {
        measured.kill();
        return finish(counter, "hung", "no heap sample for " + (int) SILENT_SECONDS
            + " s (hung or thrashing in GC); killed", t);
      }
      if (t - lastProgressSeconds > STALL_SECONDS && completed.get() > archived.get()) {
        measured.kill();
        return finish(counter, "hung", "no workflow archived for " + (int) STALL_SECONDS
            + " s with a backlog of " + (completed.get() - archived.get()) + "; killed", t);
      }
      if (options.maxSeconds() > 0 && t > options.maxSeconds()) {
        measured.writeHistogram(options.outDir().resolve("memory-" + mode.label()
            + "-histogram.txt"));
        return finish(counter, "stopped", "stopped after " + options.maxSeconds()
            + " s (--max-seconds) with a backlog of " + (completed.get() - archived.get()), t);
      }
      if (t > deadline) {
        measured.kill();
        return finish(counter, "timeout", "not drained after " + (int) deadline + " s; killed",
            t);
      }
      Thread.sleep(250); // polling the database; this is the orchestrator, not logic under test
    }
  }

  private ModeResult finish(BenchDatabase.Counter counter, String outcome, String detail,
      double endSeconds) throws SQLException {
    long rows = counter.rows();
    long distinct = counter.distinctUids();
    List<Sample> copy;
    synchronized (samples) {
      copy = List.copyOf(samples);
    }
    LeastSquares fit = LeastSquares.fit(copy, Sample::backlog, Sample::heapAfterGc);
    double generatedAt = generateSeconds;
    List<Sample> draining = Double.isNaN(generatedAt) ? List.of()
        : copy.stream().filter(s -> s.seconds() >= generatedAt).toList();
    LeastSquares drainFit = LeastSquares.fit(draining, Sample::backlog, Sample::heapAfterGc);
    List<Sample> withEvents = copy.stream().filter(s -> s.pendingEvents() >= 0).toList();
    LeastSquares eventFit = LeastSquares.fit(withEvents, Sample::pendingEvents,
        Sample::heapAfterGc);
    long peak = copy.stream().mapToLong(Sample::heapAfterGc).max().orElse(0);
    long maxBacklog = copy.stream().mapToLong(Sample::backlog).max().orElse(0);
    boolean oom = outcome.equals("oom");
    long oomBacklog = oom && !copy.isEmpty() ? copy.get(copy.size() - 1).backlog() : -1;
    long expected = generated ? generatedCompleted : options.workflows();
    log(outcome + ": " + detail);
    return new ModeResult(mode, outcome, detail, copy, fit, drainFit, eventFit, peak,
        oom ? endSeconds : Double.NaN,
        oomBacklog, rows, distinct, expected, generateSeconds,
        outcome.equals("drained") ? endSeconds : Double.NaN, maxBacklog);
  }

  private ModeResult failed(String detail) {
    log("failed: " + detail);
    LeastSquares none = LeastSquares.fit(List.<Sample>of(), s -> 0, s -> 0);
    return new ModeResult(mode, "failed", detail, List.of(), none, none, none, 0, Double.NaN, -1,
        0, 0, options.workflows(), Double.NaN, Double.NaN, 0);
  }

  private void onApiLine(String line) {
    String[] f = line.split(" ");
    switch (f[0]) {
      case "READY" -> {
        apiReadyLine = line.substring("READY ".length());
        apiReady.countDown();
      }
      case "PROGRESS" -> {
        completed.set(Long.parseLong(f[2]));
        deleted.set(Long.parseLong(f[4]));
      }
      case "GENERATED" -> {
        generateSeconds = Long.parseLong(f[1]) / 1000.0;
        completed.set(Long.parseLong(f[2]));
        generatedCompleted = Long.parseLong(f[2]);
        generated = true;
        log("generator done in " + generateSeconds + " s: " + f[2] + " completed, " + f[3]
            + " failed");
      }
      default -> { }
    }
  }

  private void onModeLine(String line) {
    String[] f = line.split(" ");
    switch (f[0]) {
      case "READY" -> modeReady.countDown();
      case "SAMPLE" -> {
        if (startNanos == 0) {
          return; // before the generator started: the JVM is still warming up
        }
        long now = System.nanoTime();
        lastSampleNanos = now;
        long heap = Long.parseLong(f[1]);
        long done = completed.get();
        long arch = archived.get();
        synchronized (samples) {
          long pending = f.length > 6 ? Long.parseLong(f[6]) : -1;
          samples.add(new Sample(seconds(now), heap, Math.max(0, done - arch), arch, done,
              pending));
        }
      }
      default -> { }
    }
  }

  private long lastHeap() {
    synchronized (samples) {
      return samples.isEmpty() ? 0 : samples.get(samples.size() - 1).heapAfterGc();
    }
  }

  private double seconds(long nanos) {
    return (nanos - startNanos) / 1e9;
  }

  private Path writeKubeconfig(Path dir, int port) throws IOException {
    Path file = dir.resolve("memory-kubeconfig-" + mode.label() + ".yaml");
    Files.writeString(file, String.join("\n",
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: membench",
        "  cluster:",
        "    server: http://127.0.0.1:" + port,
        "contexts:",
        "- name: membench",
        "  context:",
        "    cluster: membench",
        "    user: membench",
        "    namespace: default",
        "current-context: membench",
        "users:",
        "- name: membench",
        "  user: {}",
        ""));
    return file;
  }

  static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }

  private void log(String message) {
    System.err.println("[memory " + mode.label() + "] " + message);
  }
}
