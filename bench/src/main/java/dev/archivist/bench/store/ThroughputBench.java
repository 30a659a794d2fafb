package dev.archivist.bench.store;

import dev.archivist.bench.Parallel;
import dev.archivist.store.ArchiveStore;
import dev.archivist.store.BatchResult;
import dev.archivist.store.StoreConfig;
import dev.archivist.store.WorkflowDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code bench/throughput}: archive write throughput of N workflows of S bytes, three ways, on the
 * same database, tables and indexes (emptied between methods):
 * <ol>
 *   <li>Archivist's batched writer ({@link ArchiveStore#archive}, one transaction per batch);</li>
 *   <li>Argo's write pattern: one transaction per workflow (delete the row, insert it, delete its
 *       labels, insert them in one multi-row INSERT);</li>
 *   <li>PostgreSQL {@code COPY} of the same rows (CopyManager), the ceiling.</li>
 * </ol>
 * Each method runs with the same number of threads. Prints workflows/s with ratios and writes
 * {@code target/bench/throughput.json}.
 */
public final class ThroughputBench {
  static final String DEFAULT_DB =
      "jdbc:postgresql://127.0.0.1:5432/archivist_bench?user=postgres";
  private static final DateTimeFormatter SQL_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

  private ThroughputBench() {}

  /**
   * One timed run; {@code walBytes} is the WAL it wrote (PostgreSQL), or -1; {@code clientCpu}
   * and {@code serverCpu} the CPU seconds of this JVM and of the database processes serving the
   * benchmark's database over it ({@link CpuMeter}), or -1 off Linux.
   */
  private record Run(String method, int rows, double seconds, long walBytes, double clientCpu,
      double serverCpu) {
    double perSecond() {
      return rows / seconds;
    }

    double cpuMsPerWf() {
      return clientCpu < 0 ? -1 : (clientCpu + serverCpu) * 1000 / rows;
    }
  }

  /**
   * A relay that delays each direction by half of {@code rttMs}, for a database across a
   * network; the process exits with the JVM, so it is not closed.
   */
  private static DelayProxy delayed(String url, double rttMs) throws IOException {
    DelayProxy proxy = new DelayProxy(DelayProxy.hostPort(url), (long) (rttMs * 1e6 / 2));
    System.err.printf(Locale.ROOT, "[throughput] every connection goes through a relay that adds"
        + " %.2f ms of round trip (127.0.0.1:%d)%n", rttMs, proxy.port());
    return proxy;
  }

  /** One method's throughput over every round; the median is what the table reports. */
  private record Result(String method, int rows, List<Run> runs, long walBytes) {
    double perSecond() {
      return median(perRound());
    }

    List<Double> perRound() {
      return runs.stream().map(Run::perSecond).toList();
    }

    List<Double> rounded() {
      return perRound().stream().map(ThroughputBench::round).toList();
    }

    /** Median CPU milliseconds per workflow over the rounds, or -1 when not measured. */
    double cpuMs() {
      return median(runs.stream().map(Run::cpuMsPerWf).toList());
    }

    /** Median over the rounds of the client's (0) or the server's (1) share, in ms/workflow. */
    double cpuMs(int side) {
      return median(runs.stream().map(r -> r.clientCpu() < 0 ? -1
          : (side == 0 ? r.clientCpu() : r.serverCpu()) * 1000 / r.rows()).toList());
    }

    /**
     * This method's rate over {@code other}'s in each round: both ran in the same round, so
     * a slow spell of the machine that lasts minutes weighs on both.
     */
    List<Double> vsRounds(Result other) {
      List<Double> ratios = new ArrayList<>();
      for (int i = 0; i < runs.size(); i++) {
        ratios.add(runs.get(i).perSecond() / other.runs().get(i).perSecond());
      }
      return ratios;
    }
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  interface Round {
    List<Run> run() throws Exception;
  }

  /**
   * Runs every method once per round, the methods one after another within a round, so that a
   * slow spell of the machine (the disk's write budget runs out, a checkpoint) lands on all of
   * them rather than on whichever ran then; each method's median over the rounds is reported.
   */
  private static List<Result> rounds(int rounds, Round round) throws Exception {
    List<List<Run>> all = new ArrayList<>();
    for (int i = 1; i <= rounds; i++) {
      System.err.printf(Locale.ROOT, "[throughput] round %d of %d%n", i, rounds);
      all.add(round.run());
    }
    List<Result> results = new ArrayList<>();
    for (int m = 0; m < all.get(0).size(); m++) {
      List<Run> runs = new ArrayList<>();
      for (List<Run> r : all) {
        runs.add(r.get(m));
      }
      Run last = runs.get(runs.size() - 1);
      results.add(new Result(last.method(), last.rows(), runs, last.walBytes()));
    }
    return results;
  }

  public static void main(String[] args) throws Exception {
    BenchArgs a = BenchArgs.parseOrExit("bench/throughput", args, Set.of("rows", "size", "db",
        "mysql", "batch", "threads", "argo-rows", "warmup", "rounds", "rtt-ms", "out"));
    int rows = a.integer("rows", 100_000);
    int size = a.bytes("size", 16 * 1024);
    int batch = a.integer("batch", 100);
    int threads = a.integer("threads", 4);
    int argoRows = Math.min(rows, a.integer("argo-rows", rows));
    int warmup = a.integer("warmup", Math.min(5_000, rows / 10));
    int rounds = a.integer("rounds", 3);
    double rttMs;
    try {
      rttMs = a.decimal("rtt-ms", 0);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    try {
      BenchDb.checkUrl(a.string("db", DEFAULT_DB), "--db");
      if (a.string("mysql", null) != null) {
        BenchDb.checkUrl(a.string("mysql", null), "--mysql");
      }
    } catch (IllegalArgumentException e) {
      System.err.println("bench/throughput: " + e.getMessage());
      System.exit(2);
      return;
    }
    if (rounds < 1) {
      System.err.println("bench/throughput: --rounds must be at least 1, got " + rounds);
      System.exit(2);
      return;
    }
    String db = a.string("db", DEFAULT_DB);
    String mysql = a.string("mysql", null);
    Path out = Path.of(a.string("out", "target/bench"));
    SyntheticWorkflows gen = new SyntheticWorkflows(size);
    int actualSize = gen.document(0).json().length();

    System.err.printf(Locale.ROOT, "[throughput] %d workflows of %d bytes, batch %d, %d threads%n",
        rows, actualSize, batch, threads);
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("rows", rows);
    report.put("argo_rows", argoRows);
    report.put("workflow_bytes", actualSize);
    report.put("batch", batch);
    report.put("threads", threads);
    report.put("warmup_rows", warmup);
    report.put("rounds", rounds);
    report.put("rtt_ms", rttMs);
    report.put("cores", Runtime.getRuntime().availableProcessors());

    BenchDb.ensurePostgresDatabase(db);
    DelayProxy pgProxy = rttMs == 0 ? null : delayed(db, rttMs);
    String pgUrl = pgProxy == null ? db : pgProxy.rewrite(db);
    List<Result> pg = rounds(rounds,
        () -> measure(pgUrl, gen, rows, argoRows, batch, threads, warmup, true));
    Result ours = pg.get(0);
    Result argo = pg.get(1);
    Result copy = pg.get(2);
    report.put("archivist_wf_per_s", round(ours.perSecond()));
    report.put("argo_pattern_wf_per_s", round(argo.perSecond()));
    report.put("copy_wf_per_s", round(copy.perSecond()));
    report.put("archivist_vs_argo_pattern", round2(ours.perSecond() / argo.perSecond()));
    report.put("archivist_vs_copy", round2(ours.perSecond() / copy.perSecond()));
    List<Double> vsCopy = ours.vsRounds(copy);
    List<Double> vsArgo = ours.vsRounds(argo);
    report.put("archivist_vs_copy_rounds",
        vsCopy.stream().map(ThroughputBench::round2).toList());
    report.put("archivist_vs_copy_median_of_rounds", round2(median(vsCopy)));
    report.put("archivist_vs_argo_pattern_rounds",
        vsArgo.stream().map(ThroughputBench::round2).toList());
    report.put("archivist_vs_argo_pattern_median_of_rounds", round2(median(vsArgo)));
    report.put("database", "postgresql");
    try (Connection c = DriverManager.getConnection(db)) {
      // Archivist's writer and COPY store the JSON lz4-compressed where the server can;
      // Argo's pattern gets the server's default (pglz), as Argo does.
      report.put("toast_compression", BenchDb.hasLz4(c) ? "lz4 (Argo pattern: pglz)" : "pglz");
    }
    report.put("archivist_wf_per_s_rounds", ours.rounded());
    report.put("argo_pattern_wf_per_s_rounds", argo.rounded());
    report.put("copy_wf_per_s_rounds", copy.rounded());
    report.put("archivist_cpu_ms_per_wf", round2(ours.cpuMs()));
    report.put("argo_pattern_cpu_ms_per_wf", round2(argo.cpuMs()));
    report.put("copy_cpu_ms_per_wf", round2(copy.cpuMs()));
    report.put("archivist_cpu_per_wf_vs_argo_pattern", round2(ours.cpuMs() / argo.cpuMs()));
    for (var e : Map.of("archivist", ours, "argo_pattern", argo, "copy", copy).entrySet()) {
      report.put(e.getKey() + "_client_cpu_ms_per_wf", round2(e.getValue().cpuMs(0)));
      report.put(e.getKey() + "_server_cpu_ms_per_wf", round2(e.getValue().cpuMs(1)));
    }
    report.put("archivist_wal_bytes_per_wf", ours.walBytes() / ours.rows());
    report.put("argo_pattern_wal_bytes_per_wf", argo.walBytes() / argo.rows());
    report.put("copy_wal_bytes_per_wf", copy.walBytes() / copy.rows());
    report.put("argo_pattern_deadlock_retries", ARGO_RETRIES.get());

    List<Result> my = null;
    if (mysql != null) {
      BenchDb.ensureMysqlDatabase(mysql);
      ARGO_RETRIES.set(0);
      DelayProxy myProxy = rttMs == 0 ? null : delayed(mysql, rttMs);
      String myUrl = myProxy == null ? mysql : myProxy.rewrite(mysql);
      my = rounds(rounds,
          () -> measure(myUrl, gen, rows, argoRows, batch, threads, warmup, false));
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("archivist_wf_per_s", round(my.get(0).perSecond()));
      m.put("argo_pattern_wf_per_s", round(my.get(1).perSecond()));
      m.put("archivist_vs_argo_pattern", round2(my.get(0).perSecond() / my.get(1).perSecond()));
      m.put("archivist_wf_per_s_rounds", my.get(0).rounded());
      m.put("archivist_cpu_ms_per_wf", round2(my.get(0).cpuMs()));
      m.put("argo_pattern_cpu_ms_per_wf", round2(my.get(1).cpuMs()));
      m.put("archivist_cpu_per_wf_vs_argo_pattern",
          round2(my.get(0).cpuMs() / my.get(1).cpuMs()));
      m.put("archivist_vs_argo_pattern_rounds",
          my.get(0).vsRounds(my.get(1)).stream().map(ThroughputBench::round2).toList());
      m.put("argo_pattern_wf_per_s_rounds", my.get(1).rounded());
      m.put("argo_pattern_deadlock_retries", ARGO_RETRIES.get());
      report.put("mariadb", m);
    }

    System.out.println();
    System.out.printf(Locale.ROOT, "Throughput: %d workflows of %d bytes, batch %d, %d threads"
        + " (Argo pattern on %d), median of %d rounds%s%n%n", rows, actualSize, batch, threads,
        argoRows, rounds, rttMs == 0 ? "" : String.format(Locale.ROOT,
            ", %.2f ms round trip to the database", rttMs));
    System.out.println("| database | method | workflows/s (median) | each round | vs Argo"
        + " pattern, each round | vs COPY, each round | CPU ms per workflow (client + server)"
        + " |");
    System.out.println("|---|---|---:|---|---|---|---:|");
    for (Result r : pg) {
      System.out.printf(Locale.ROOT, "| PostgreSQL | %s | %.0f | %s | %s | %s | %s |%n",
          r.method(), r.perSecond(), roundsText(r), ratiosText(r.vsRounds(argo)),
          ratiosText(r.vsRounds(copy)), cpuText(r));
    }
    if (my != null) {
      for (Result r : my) {
        System.out.printf(Locale.ROOT, "| MariaDB | %s | %.0f | %s | %s | n/a | %s |%n",
            r.method(), r.perSecond(), roundsText(r), ratiosText(r.vsRounds(my.get(1))),
            cpuText(r));
      }
    }
    System.out.printf(Locale.ROOT, "%nPostgreSQL, Archivist: median per-round ratio to COPY"
        + " %.2fx, to Argo's pattern %.2fx; CPU per workflow %.2fx Argo's pattern's%n",
        median(vsCopy), median(vsArgo), ours.cpuMs() / argo.cpuMs());
    write(out.resolve("throughput.json"), report);
  }

  private static List<Run> measure(String url, SyntheticWorkflows gen, int rows, int argoRows,
      int batch, int threads, int warmup, boolean postgres) throws Exception {
    List<Run> runs = new ArrayList<>();
    StoreConfig config = new StoreConfig(url, null, null, "default", "", threads + 1,
        Duration.ofSeconds(10), Duration.ofSeconds(300));
    try (ArchiveStore store = ArchiveStore.open(config)) {
      store.migrate();
      BenchDb.truncate(url);
      runs.add(warmedUp(url, "archivist batched upsert", rows, warmup, threads,
          (n) -> (next) -> archivist(store, gen, n, batch, next)));
    }
    runs.add(warmedUp(url, "Argo pattern (txn per workflow)", argoRows, warmup, threads,
        (n) -> (next) -> argoPattern(url, gen, n, next, postgres)));
    if (postgres) {
      int chunk = Math.max(batch, 1000);
      runs.add(warmedUp(url, "COPY (" + chunk + " rows per COPY)", rows, warmup, threads,
          (n) -> (next) -> copy(url, gen, n, chunk, next)));
    }
    return runs;
  }

  /** A method of writing, for a number of rows. */
  interface Method {
    Work rows(int n);
  }

  /**
   * Runs {@code method} on {@code warmup} rows first (so that the JIT has compiled the client
   * and the server has its caches warm), empties the tables and checkpoints, then times it on
   * {@code rows}, and empties the tables again.
   */
  private static Run warmedUp(String url, String name, int rows, int warmup, int threads,
      Method method) throws Exception {
    if (warmup > 0) {
      System.err.printf(Locale.ROOT, "[throughput] %s: warm-up, %d rows...%n", name, warmup);
      run(threads, method.rows(warmup));
      BenchDb.truncate(url);
    }
    String walBefore = BenchDb.walPosition(url);
    CpuMeter meter = CpuMeter.start(BenchDb.databaseName(url),
        url.startsWith("jdbc:postgresql:"));
    System.err.printf(Locale.ROOT, "[throughput] %s: %d rows...%n", name, rows);
    long start = System.nanoTime();
    run(threads, method.rows(rows));
    double seconds = (System.nanoTime() - start) / 1e9;
    System.err.printf(Locale.ROOT, "[throughput] %s: %.1f s, %.0f workflows/s%n", name,
        seconds, rows / seconds);
    double[] cpu = {-1, -1};
    if (meter != null) {
      meter.close();
      cpu = meter.seconds();
      System.err.printf(Locale.ROOT, "[throughput] %s: %.2f ms of CPU per workflow (client"
          + " %.2f, server %.2f)%n", name, (cpu[0] + cpu[1]) * 1000 / rows, cpu[0] * 1000 / rows,
          cpu[1] * 1000 / rows);
    }
    long wal = BenchDb.walBytesSince(url, walBefore);
    if (wal >= 0) {
      System.err.printf(Locale.ROOT, "[throughput] %s: %.1f KiB of WAL per workflow%n", name,
          wal / 1024.0 / rows);
    }
    BenchDb.truncate(url);
    return new Run(name, rows, seconds, wal, cpu[0], cpu[1]);
  }

  private static void archivist(ArchiveStore store, SyntheticWorkflows gen, int rows, int batch,
      AtomicInteger next) {
    while (true) {
      int start = next.getAndAdd(batch);
      if (start >= rows) {
        return;
      }
      List<WorkflowDocument> docs = new ArrayList<>(batch);
      for (int i = start; i < Math.min(rows, start + batch); i++) {
        docs.add(gen.document(i));
      }
      BatchResult r = store.archive(docs);
      for (BatchResult.RowOutcome o : r.outcomes()) {
        if (!(o instanceof BatchResult.Written)) {
          throw new IllegalStateException("not written: " + o);
        }
      }
    }
  }

  interface Work {
    void run(AtomicInteger next) throws Exception;
  }

  /** Runs {@code work} on {@code threads} threads sharing one counter of the next row. */
  private static void run(int threads, Work work) throws Exception {
    AtomicInteger next = new AtomicInteger();
    Parallel.forEachIndex(threads, threads, thread -> work.run(next));
  }

  /** Argo's ArchiveWorkflow, transcribed to JDBC: four statements and a commit per workflow. */
  private static void argoPattern(String url, SyntheticWorkflows gen, int rows,
      AtomicInteger next, boolean postgres) throws SQLException {
    String json = postgres ? "CAST(? AS jsonb)" : "?";
    try (Connection c = DriverManager.getConnection(url)) {
      c.setAutoCommit(false);
      try (PreparedStatement delete = c.prepareStatement("DELETE FROM argo_archived_workflows"
              + " WHERE clustername = ? AND instanceid = ? AND uid = ?");
          PreparedStatement insert = c.prepareStatement("INSERT INTO argo_archived_workflows"
              + " (clustername, instanceid, uid, name, namespace, phase, startedat, finishedat,"
              + " creationtimestamp, workflow) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, " + json + ")");
          PreparedStatement deleteLabels = c.prepareStatement("DELETE FROM"
              + " argo_archived_workflows_labels WHERE clustername = ? AND uid = ?");
          PreparedStatement insertLabel = c.prepareStatement("INSERT INTO"
              + " argo_archived_workflows_labels (clustername, uid, name, value)"
              + " VALUES (?, ?, ?, ?)")) {
        while (true) {
          int i = next.getAndIncrement();
          if (i >= rows) {
            return;
          }
          WorkflowDocument d = gen.document(i);
          for (int attempt = 1; ; attempt++) {
            try {
              argoWrite(c, delete, insert, deleteLabels, insertLabel, d, postgres);
              break;
            } catch (java.sql.SQLTransactionRollbackException e) {
              // Argo's work queue requeues a failed archive; MariaDB's gap locks make these
              // deadlocks common under concurrency. Count the retry and go again.
              c.rollback();
              ARGO_RETRIES.incrementAndGet();
              if (attempt >= 20) {
                throw e;
              }
            }
          }
        }
      }
    }
  }

  static final AtomicInteger ARGO_RETRIES = new AtomicInteger();

  private static void argoWrite(Connection c, PreparedStatement delete, PreparedStatement insert,
      PreparedStatement deleteLabels, PreparedStatement insertLabel, WorkflowDocument d,
      boolean postgres) throws SQLException {
    String body = postgres ? d.json().replace("\\u0000", "ARGO_POSTGRES_NULL_REPLACEMENT")
        : d.json();
    delete.setString(1, "default");
    delete.setString(2, "");
    delete.setString(3, d.uid());
    delete.executeUpdate();
    insert.setString(1, "default");
    insert.setString(2, "");
    insert.setString(3, d.uid());
    insert.setString(4, d.name());
    insert.setString(5, d.namespace());
    insert.setString(6, d.phase());
    insert.setObject(7, LocalDateTime.ofInstant(d.startedAt(), ZoneOffset.UTC));
    insert.setObject(8, LocalDateTime.ofInstant(d.finishedAt(), ZoneOffset.UTC));
    insert.setObject(9, LocalDateTime.ofInstant(d.creationTimestamp(), ZoneOffset.UTC));
    insert.setString(10, body);
    insert.executeUpdate();
    deleteLabels.setString(1, "default");
    deleteLabels.setString(2, d.uid());
    deleteLabels.executeUpdate();
    // Argo inserts the labels one statement per label (a loop over wf.GetLabels()).
    for (Map.Entry<String, String> e : d.labels().entrySet()) {
      insertLabel.setString(1, "default");
      insertLabel.setString(2, d.uid());
      insertLabel.setString(3, e.getKey());
      insertLabel.setString(4, e.getValue());
      insertLabel.executeUpdate();
    }
    c.commit();
  }

  /** COPY in text format, workflows then labels, one transaction per chunk. */
  private static void copy(String url, SyntheticWorkflows gen, int rows, int chunk,
      AtomicInteger next) throws SQLException {
    try (Connection c = DriverManager.getConnection(url)) {
      if (BenchDb.hasLz4(c)) {
        // The same storage as Archivist's writer produces, so that COPY stays its ceiling.
        try (var s = c.createStatement()) {
          s.execute("SET default_toast_compression = lz4");
        }
      }
      c.setAutoCommit(false);
      CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
      while (true) {
        int start = next.getAndAdd(chunk);
        if (start >= rows) {
          return;
        }
        int end = Math.min(rows, start + chunk);
        List<WorkflowDocument> docs = new ArrayList<>(end - start);
        for (int i = start; i < end; i++) {
          docs.add(gen.document(i));
        }
        CopyIn in = copy.copyIn("COPY argo_archived_workflows (clustername, instanceid, uid,"
            + " name, namespace, phase, startedat, finishedat, creationtimestamp, workflow)"
            + " FROM STDIN");
        StringBuilder line = new StringBuilder(20_000);
        for (WorkflowDocument d : docs) {
          line.setLength(0);
          line.append("default\t\t").append(d.uid()).append('\t').append(d.name()).append('\t')
              .append(d.namespace()).append('\t').append(d.phase()).append('\t')
              .append(time(d.startedAt())).append('\t').append(time(d.finishedAt())).append('\t')
              .append(time(d.creationTimestamp())).append('\t');
          escapeCopyText(d.json(), line);
          line.append('\n');
          byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
          in.writeToCopy(bytes, 0, bytes.length);
        }
        in.endCopy();
        CopyIn labels = copy.copyIn("COPY argo_archived_workflows_labels (clustername, uid,"
            + " name, value) FROM STDIN");
        for (WorkflowDocument d : docs) {
          line.setLength(0);
          for (Map.Entry<String, String> e : d.labels().entrySet()) {
            line.append("default\t").append(d.uid()).append('\t').append(e.getKey())
                .append('\t').append(e.getValue()).append('\n');
          }
          byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
          labels.writeToCopy(bytes, 0, bytes.length);
        }
        labels.endCopy();
        c.commit();
      }
    }
  }

  private static String time(Instant t) {
    return SQL_TIME.format(LocalDateTime.ofInstant(t, ZoneOffset.UTC));
  }

  /** COPY's text format: backslash, tab, newline and carriage return are escaped. */
  static void escapeCopyText(String s, StringBuilder out) {
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '\\' -> out.append("\\\\");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        default -> out.append(ch);
      }
    }
  }

  private static String roundsText(Result r) {
    return String.join(", ", r.perRound().stream()
        .map(v -> String.format(Locale.ROOT, "%.0f", v)).toList());
  }

  private static String cpuText(Result r) {
    return r.cpuMs() < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f (%.2f + %.2f)", r.cpuMs(),
        r.cpuMs(0), r.cpuMs(1));
  }

  /** Median first, then each round's ratio. */
  private static String ratiosText(List<Double> ratios) {
    return String.format(Locale.ROOT, "%.2fx (%s)", median(ratios), String.join(", ",
        ratios.stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList()));
  }

  static double round(double v) {
    return Math.round(v);
  }

  static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }

  static void write(Path file, Map<String, Object> report) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    report.put("measured_at", Instant.now().toString());
    Files.writeString(file, JsonMapper.builder().build().writerWithDefaultPrettyPrinter()
        .writeValueAsString(report) + "\n");
    System.err.println("[bench] wrote " + file.toAbsolutePath());
  }
}
