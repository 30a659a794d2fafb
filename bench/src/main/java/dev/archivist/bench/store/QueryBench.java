package dev.archivist.bench.store;

import static dev.archivist.bench.store.ThroughputBench.round2;

import dev.archivist.core.LabelSelector;
import dev.archivist.store.ArchiveStore;
import dev.archivist.store.ListQuery;
import dev.archivist.store.NameFilter;
import dev.archivist.store.Page;
import dev.archivist.store.StoreConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code bench/query}: list latency on a large archive. Seeds R rows (default 1M) into a local
 * PostgreSQL with SQL ({@code generate_series}, indexes built after the load), with realistic
 * namespaces (skewed), phases and seven labels per workflow; then measures p50/p99 of a list of 50
 * with a namespace and a label selector, on the first page and on page 1,000:
 * <ul>
 *   <li>Archivist: {@link ArchiveStore#list}, page 1,000 reached through the keyset cursor;</li>
 *   <li>Argo's query shape on the same data: its CTE over the workflows table, one
 *       {@code exists} subquery per label requirement with the values inlined, ordered by
 *       startedat, with {@code LIMIT 51 OFFSET (page - 1) * 50}, as its Go code builds it.</li>
 * </ul>
 * Writes {@code target/bench/query.json}. The seeded data is kept (a marker table records the
 * row count), so a second run with the same {@code --rows} skips seeding.
 */
public final class QueryBench {
  static final String DEFAULT_DB = "jdbc:postgresql://127.0.0.1:5432/archivist_query_bench"
      + "?user=postgres";
  static final int SEED_VERSION = 1;
  static final int PAGE = 50;

  private QueryBench() {}

  public static void main(String[] args) throws Exception {
    BenchArgs a = BenchArgs.parseOrExit("bench/query", args, Set.of("rows", "db", "iterations",
        "page", "namespace", "selector", "out", "max-seconds", "rounds"));
    int rows = a.integer("rows", 1_000_000);
    int iterations = a.integer("iterations", 1000);
    int rounds = a.integer("rounds", 5);
    int deepPage = a.integer("page", 1000);
    int maxSeconds = a.integer("max-seconds", 60);
    String db = a.string("db", DEFAULT_DB);
    String namespace = a.string("namespace", "ns-00");
    String selector = a.string("selector",
        "workflows.argoproj.io/completed=true,workflows.argoproj.io/phase=Succeeded");
    Path out = Path.of(a.string("out", "target/bench"));

    try {
      BenchDb.checkUrl(db, "--db");
    } catch (IllegalArgumentException e) {
      System.err.println("bench/query: " + e.getMessage());
      System.exit(2);
      return;
    }
    BenchDb.ensurePostgresDatabase(db);
    StoreConfig config = new StoreConfig(db, null, null, "default", "", 4,
        Duration.ofSeconds(10), Duration.ofSeconds(600));
    Map<String, Object> report = new LinkedHashMap<>();
    try (ArchiveStore store = ArchiveStore.open(config)) {
      store.migrate();
      seed(db, rows);
      LabelSelector parsed = LabelSelector.parse(selector);
      ListQuery first = new ListQuery(namespace, null, NameFilter.EXACT, parsed, null, null,
          PAGE, null);
      long matching = countMatching(db, namespace, parsed);
      if (matching < (long) deepPage * PAGE) {
        throw new IllegalStateException("only " + matching + " rows match namespace "
            + namespace + " and " + selector + "; page " + deepPage + " needs "
            + (long) deepPage * PAGE + ". Use more --rows or a broader --selector");
      }
      System.err.printf(Locale.ROOT, "[query] %d rows, %d match %s + %s%n", rows, matching,
          namespace, selector);
      // Walk to page `deepPage` once, through the cursor.
      String token = null;
      for (int p = 1; p < deepPage; p++) {
        Page page = store.list(withContinue(first, token));
        token = page.continueToken();
      }
      ListQuery deep = withContinue(first, token);

      // prepareThreshold=0: plan Argo's query with its actual values every time, its best case
      // (a generic plan of it, with LIMIT and OFFSET unknown, sorts the whole namespace).
      String argoUrl = db + (db.contains("?") ? "&" : "?") + "prepareThreshold=0";
      List<Round> measured = new ArrayList<>();
      double[] argoDeep;
      try (Connection c = DriverManager.getConnection(argoUrl)) {
        c.createStatement().execute("SET max_parallel_workers_per_gather = 0");
        String argoSql = argoQuery(parsed);
        Action oursFirstPage = () -> check(store.list(first));
        Action argoFirstPage = () -> argo(c, argoSql, namespace, 0, true);
        Action argoFirstStrings = () -> argo(c, argoSql, namespace, 0, false);
        Action oursDeepPage = () -> check(store.list(deep));
        for (int i = 0; i < 20; i++) { // warm-up: JIT, connections, caches
          oursFirstPage.run();
          argoFirstPage.run();
          oursDeepPage.run();
          argoFirstStrings.run();
        }
        // The four cases take turns call by call (the one that goes first rotates), so that a
        // slow spell of the machine lands on all of them; each round's figures are compared
        // within the round.
        int perRound = Math.max(1, iterations / rounds);
        for (int r = 1; r <= rounds; r++) {
          List<Action> cases = List.of(oursFirstPage, argoFirstPage, oursDeepPage,
              argoFirstStrings);
          double[][] samples = new double[cases.size()][perRound];
          for (int i = 0; i < perRound; i++) {
            for (int j = 0; j < cases.size(); j++) {
              int which = (i + j) % cases.size();
              long t0 = System.nanoTime();
              cases.get(which).run();
              samples[which][i] = (System.nanoTime() - t0) / 1e6;
            }
          }
          for (double[] x : samples) {
            Arrays.sort(x);
          }
          Round round = new Round(samples[0], samples[1], samples[2], samples[3]);
          measured.add(round);
          System.err.printf(Locale.ROOT, "[query] round %d of %d: page 1 p50 %.2f vs Argo %.2f ms"
              + " (%.2fx), p99 %.2f vs %.2f ms (%.2fx); page %d p50 %.2f, p99 %.2f ms%n", r,
              rounds, ms(round.oursFirst(), 50), ms(round.argoFirst(), 50), round.p50Ratio(),
              ms(round.oursFirst(), 99), ms(round.argoFirst(), 99), round.p99Ratio(), deepPage,
              ms(round.oursDeep(), 50), ms(round.oursDeep(), 99));
        }
        // Argo's deep page costs seconds a call: bounded by time, after the rounds.
        argoDeep = time("argo page " + deepPage + " (offset)", Math.min(iterations, 200),
            maxSeconds, () -> argo(c, argoSql, namespace, (deepPage - 1) * PAGE, true));
      }
      double[] oursFirst = pooled(measured, Round::oursFirst);
      double[] argoFirst = pooled(measured, Round::argoFirst);
      double[] oursDeep = pooled(measured, Round::oursDeep);
      double[] argoStrings = pooled(measured, Round::argoFirstStrings);
      List<Double> p50RatiosStrings = measured.stream()
          .map(x -> round2(ms(x.oursFirst(), 50) / ms(x.argoFirstStrings(), 50))).toList();
      List<Double> p99RatiosStrings = measured.stream()
          .map(x -> round2(ms(x.oursFirst(), 99) / ms(x.argoFirstStrings(), 99))).toList();
      List<Double> p50Ratios = measured.stream().map(x -> round2(x.p50Ratio())).toList();
      List<Double> p99Ratios = measured.stream().map(x -> round2(x.p99Ratio())).toList();
      report.put("rows", rows);
      report.put("matching_rows", matching);
      report.put("namespace", namespace);
      report.put("selector", selector);
      report.put("limit", PAGE);
      report.put("deep_page", deepPage);
      report.put("rounds", rounds);
      report.put("cores", Runtime.getRuntime().availableProcessors());
      report.put("archivist_first_page_p50_ms", ms(oursFirst, 50));
      report.put("archivist_first_page_p99_ms", ms(oursFirst, 99));
      report.put("archivist_deep_page_p50_ms", ms(oursDeep, 50));
      report.put("archivist_deep_page_p99_ms", ms(oursDeep, 99));
      report.put("argo_first_page_p50_ms", ms(argoFirst, 50));
      report.put("argo_first_page_p99_ms", ms(argoFirst, 99));
      report.put("argo_first_page_strings_p50_ms", ms(argoStrings, 50));
      report.put("argo_first_page_strings_p99_ms", ms(argoStrings, 99));
      report.put("argo_deep_page_p50_ms", ms(argoDeep, 50));
      report.put("argo_deep_page_p99_ms", ms(argoDeep, 99));
      report.put("first_page_p50_vs_argo_rounds", p50Ratios);
      report.put("first_page_p99_vs_argo_rounds", p99Ratios);
      report.put("first_page_p50_vs_argo_median", round2(ThroughputBench.median(p50Ratios)));
      report.put("first_page_p99_vs_argo_median", round2(ThroughputBench.median(p99Ratios)));
      report.put("first_page_p50_vs_argo_strings_median",
          round2(ThroughputBench.median(p50RatiosStrings)));
      report.put("first_page_p99_vs_argo_strings_median",
          round2(ThroughputBench.median(p99RatiosStrings)));
      report.put("archivist_deep_page_p99_ms_rounds",
          measured.stream().map(x -> ms(x.oursDeep(), 99)).toList());
      report.put("samples", Map.of("archivist_first", oursFirst.length, "archivist_deep",
          oursDeep.length, "argo_first", argoFirst.length, "argo_deep", argoDeep.length));

      System.out.println();
      System.out.printf(Locale.ROOT, "Query: %d rows; list %d with namespace=%s, selector %s"
          + " (%d matching rows); %d rounds, the cases taking turns call by call%n%n", rows,
          PAGE, namespace, selector, matching, rounds);
      System.out.println("| query | page | p50 ms | p99 ms | samples |");
      System.out.println("|---|---:|---:|---:|---:|");
      row("Archivist (keyset cursor)", "1", oursFirst);
      row("Archivist (keyset cursor)", Integer.toString(deepPage), oursDeep);
      row("Argo shape (offset, exists), items built", "1", argoFirst);
      row("Argo shape, rows read as strings only", "1", argoStrings);
      row("Argo shape (offset, exists)", Integer.toString(deepPage), argoDeep);
      System.out.println();
      System.out.println("| round | page 1 p50 ms, Archivist / Argo | ratio | page 1 p99 ms,"
          + " Archivist / Argo | ratio | page " + deepPage + " p99 ms, Archivist |");
      System.out.println("|---:|---|---:|---|---:|---:|");
      for (int r = 0; r < measured.size(); r++) {
        Round x = measured.get(r);
        System.out.printf(Locale.ROOT, "| %d | %.2f / %.2f | %.2fx | %.2f / %.2f | %.2fx |"
            + " %.2f |%n", r + 1, ms(x.oursFirst(), 50), ms(x.argoFirst(), 50), x.p50Ratio(),
            ms(x.oursFirst(), 99), ms(x.argoFirst(), 99), x.p99Ratio(), ms(x.oursDeep(), 99));
      }
      System.out.printf(Locale.ROOT, "%nPage 1, Archivist / Argo, median over the rounds: p50"
          + " %.2fx, p99 %.2fx (against Argo's rows read as strings only: p50 %.2fx, p99"
          + " %.2fx)%n", ThroughputBench.median(p50Ratios), ThroughputBench.median(p99Ratios),
          ThroughputBench.median(p50RatiosStrings), ThroughputBench.median(p99RatiosStrings));
    }
    ThroughputBench.write(out.resolve("query.json"), report);
  }

  /** One round's sorted samples, in milliseconds, of each case. */
  private record Round(double[] oursFirst, double[] argoFirst, double[] oursDeep,
      double[] argoFirstStrings) {
    double p50Ratio() {
      return ms(oursFirst, 50) / ms(argoFirst, 50);
    }

    double p99Ratio() {
      return ms(oursFirst, 99) / ms(argoFirst, 99);
    }
  }

  private static double[] pooled(List<Round> rounds, java.util.function.Function<Round,
      double[]> which) {
    double[] all = rounds.stream().map(which).flatMapToDouble(Arrays::stream).toArray();
    Arrays.sort(all);
    return all;
  }

  private static void row(String what, String page, double[] samples) {
    System.out.printf(Locale.ROOT, "| %s | %s | %.2f | %.2f | %d |%n", what, page,
        ms(samples, 50), ms(samples, 99), samples.length);
  }

  private static ListQuery withContinue(ListQuery q, String token) {
    return new ListQuery(q.namespace(), q.name(), q.nameFilter(), q.selector(),
        q.startedAfter(), q.startedBefore(), q.limit(), token);
  }

  private static void check(Page p) {
    if (p.items().size() != PAGE) {
      throw new IllegalStateException("expected a full page, got " + p.items().size());
    }
  }

  interface Action {
    void run() throws Exception;
  }

  /**
   * Milliseconds per call of a slow case (seconds a call, so no warm-up): up to n samples,
   * stopping after maxSeconds once it has three.
   */
  private static double[] time(String what, int n, int maxSeconds, Action action)
      throws Exception {
    double[] samples = new double[n];
    long deadline = System.nanoTime() + maxSeconds * 1_000_000_000L;
    int i = 0;
    for (; i < n; i++) {
      long start = System.nanoTime();
      action.run();
      long end = System.nanoTime();
      samples[i] = (end - start) / 1e6;
      if (end > deadline && i >= 2) {
        i++;
        break;
      }
    }
    double[] taken = Arrays.copyOf(samples, i);
    Arrays.sort(taken);
    System.err.printf(Locale.ROOT, "[query] %s: p50 %.2f ms, p99 %.2f ms (%d samples)%n", what,
        ms(taken, 50), ms(taken, 99), taken.length);
    return taken;
  }

  /** Nearest-rank percentile of sorted samples. */
  static double ms(double[] sorted, int percentile) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
    return round2(sorted[Math.max(0, rank - 1)]);
  }

  /**
   * Argo's ListWorkflows on PostgreSQL (persist/sqldb/workflow_archive.go and selector.go):
   * a CTE pulling metadata, status and arguments out of the JSON, scoped by cluster, instance and
   * namespace, one {@code exists} per label requirement with the key and values spliced in as
   * literals, {@code order by startedat desc limit ? offset ?}.
   */
  static String argoQuery(LabelSelector selector) {
    StringBuilder where = new StringBuilder();
    for (var r : selector.requirements()) {
      String pre = "exists (select 1 from argo_archived_workflows_labels where clustername ="
          + " argo_archived_workflows.clustername and uid = argo_archived_workflows.uid and"
          + " name = '" + r.key() + "'";
      switch (r.operator()) {
        case EQUALS -> where.append(" and ").append(pre).append(" and value = '")
            .append(r.values().get(0)).append("')");
        case IN -> where.append(" and ").append(pre).append(" and value in ('")
            .append(String.join("', '", r.values())).append("'))");
        case EXISTS -> where.append(" and ").append(pre).append(")");
        case DOES_NOT_EXIST -> where.append(" and not ").append(pre).append(")");
        case NOT_EQUALS -> where.append(" and not ").append(pre).append(" and value = '")
            .append(r.values().get(0)).append("')");
        case NOT_IN -> where.append(" and not ").append(pre).append(" and value in ('")
            .append(String.join("', '", r.values())).append("'))");
        case GREATER_THAN -> where.append(" and ").append(pre)
            .append(" and cast(value as int) > ").append(r.values().get(0)).append(")");
        case LESS_THAN -> where.append(" and ").append(pre)
            .append(" and cast(value as int) < ").append(r.values().get(0)).append(")");
        default -> throw new AssertionError(r.operator());
      }
    }
    return "WITH workflows AS (SELECT name, namespace, uid, phase, startedat, finishedat,"
        + " creationtimestamp, coalesce(workflow->'metadata', '{}') as metadata,"
        + " coalesce(workflow->'status', '{}') as status, workflow->'spec'->>'suspend' as"
        + " suspend, coalesce(workflow->'spec'->'arguments', '{}') as arguments"
        + " FROM argo_archived_workflows WHERE ((clustername = ? AND instanceid = ?)"
        + " AND namespace = ?" + where + ") ORDER BY startedat DESC LIMIT ? OFFSET ?)"
        + " SELECT name, namespace, uid, phase, startedat, finishedat, creationtimestamp,"
        + " coalesce(metadata->>'labels', '{}') as labels, coalesce(metadata->>'annotations',"
        + " '{}') as annotations, coalesce(status->>'progress', '') as progress, suspend,"
        + " coalesce(arguments::text, '{}') as arguments, coalesce(status->>'message', '') as"
        + " message, coalesce(status->>'estimatedDuration', '0') as estimatedduration,"
        + " coalesce(status->>'resourcesDuration', '{}') as resourcesduration FROM workflows";
  }

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * Runs Argo's query. With {@code items}, each row also becomes the item Argo's server returns
   * (its Go code decodes the labels, annotations, arguments and resources-duration texts into
   * the workflow it returns, one decode each): the same work Archivist's list does to build its
   * items, with the same JSON library. Without, the row's columns are only read as strings.
   */
  private static void argo(Connection c, String sql, String namespace, int offset,
      boolean items) throws Exception {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, "default");
      ps.setString(2, "");
      ps.setString(3, namespace);
      ps.setInt(4, PAGE + 1); // Argo asks for one more to learn whether there is a next page
      ps.setInt(5, offset);
      int n = 0;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (items) {
            argoItem(rs);
          } else {
            for (int col = 1; col <= 15; col++) {
              rs.getString(col);
            }
          }
          n++;
        }
      }
      if (n != PAGE + 1) {
        throw new IllegalStateException("argo query returned " + n + " rows");
      }
    }
  }

  /** One row of Argo's query as the workflow item its list returns. */
  private static ObjectNode argoItem(ResultSet rs) throws Exception {
    ObjectNode item = JSON.createObjectNode();
    ObjectNode metadata = item.putObject("metadata");
    metadata.put("name", rs.getString(1));
    metadata.put("namespace", rs.getString(2));
    metadata.put("uid", rs.getString(3));
    metadata.put("creationTimestamp", time(rs, 7));
    metadata.set("labels", JSON.readTree(rs.getString(8)));
    metadata.set("annotations", JSON.readTree(rs.getString(9)));
    ObjectNode spec = item.putObject("spec");
    spec.set("arguments", JSON.readTree(rs.getString(12)));
    String suspend = rs.getString(11);
    if (suspend != null) {
      spec.put("suspend", Boolean.parseBoolean(suspend));
    }
    ObjectNode status = item.putObject("status");
    status.put("phase", rs.getString(4));
    status.put("startedAt", time(rs, 5));
    status.put("finishedAt", time(rs, 6));
    status.put("progress", rs.getString(10));
    status.put("message", rs.getString(13));
    status.put("estimatedDuration", Long.parseLong(rs.getString(14)));
    status.set("resourcesDuration", JSON.readTree(rs.getString(15)));
    return item;
  }

  private static String time(ResultSet rs, int column) throws SQLException {
    LocalDateTime t = rs.getObject(column, LocalDateTime.class);
    return t == null ? null : DateTimeFormatter.ISO_INSTANT.format(
        t.truncatedTo(ChronoUnit.SECONDS).toInstant(ZoneOffset.UTC));
  }

  private static long countMatching(String db, String namespace, LabelSelector selector)
      throws SQLException {
    String sql = argoQuery(selector);
    String count = "SELECT count(*) FROM argo_archived_workflows WHERE ((clustername = ? AND"
        + " instanceid = ?) AND namespace = ?" + sql.substring(sql.indexOf(" AND namespace = ?")
        + " AND namespace = ?".length(), sql.indexOf(") ORDER BY")) + ")";
    try (Connection c = DriverManager.getConnection(db);
        PreparedStatement ps = c.prepareStatement(count)) {
      ps.setString(1, "default");
      ps.setString(2, "");
      ps.setString(3, namespace);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** The index definitions of V1 and V2, rebuilt after a bulk load (much faster than during). */
  private static final List<String[]> INDEXES = List.of(
      new String[] {"argo_archived_workflows_i1", "argo_archived_workflows (clustername,"
          + " instanceid, namespace, startedat DESC)"},
      new String[] {"argo_archived_workflows_i2", "argo_archived_workflows (clustername,"
          + " instanceid, finishedat)"},
      new String[] {"argo_archived_workflows_i3", "argo_archived_workflows (clustername,"
          + " instanceid, name)"},
      new String[] {"argo_archived_workflows_i4", "argo_archived_workflows (clustername,"
          + " startedat)"},
      new String[] {"argo_archived_workflows_i5", "argo_archived_workflows"
          + " (creationtimestamp)"},
      new String[] {"argo_archived_workflows_labels_i1", "argo_archived_workflows_labels (name,"
          + " value)"},
      new String[] {"archivist_archived_workflows_keyset", "argo_archived_workflows"
          + " (clustername, instanceid, startedat DESC, uid DESC)"});

  /**
   * Seeds {@code rows} workflows of about 1.5 KB (the list reads fragments; size matters little)
   * with SQL only: namespaces skewed (ns-00 holds about a fifth), phases 80/15/5, seven labels.
   */
  static void seed(String db, int rows) throws SQLException {
    try (Connection c = DriverManager.getConnection(db); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS archivist_bench_seed (rows int, version int)");
      try (ResultSet rs = s.executeQuery("SELECT rows, version FROM archivist_bench_seed")) {
        if (rs.next() && rs.getInt(1) == rows && rs.getInt(2) == SEED_VERSION) {
          System.err.println("[query] reusing the " + rows + " seeded rows");
          return;
        }
      }
      long start = System.nanoTime();
      System.err.println("[query] seeding " + rows + " rows...");
      s.execute("SET synchronous_commit = off");
      s.execute("SET maintenance_work_mem = '512MB'");
      s.execute("DELETE FROM archivist_bench_seed");
      s.execute("TRUNCATE argo_archived_workflows_labels, argo_archived_workflows");
      for (String[] i : INDEXES) {
        s.execute("DROP INDEX IF EXISTS " + i[0]);
      }
      s.execute("SELECT setseed(0.42)");
      s.execute("INSERT INTO argo_archived_workflows (uid, name, phase, namespace, workflow,"
          + " startedat, finishedat, clustername, instanceid, creationtimestamp)"
          + " SELECT uid, name, phase, ns, jsonb_build_object("
          + "  'apiVersion', 'argoproj.io/v1alpha1', 'kind', 'Workflow',"
          + "  'metadata', jsonb_build_object('name', name, 'namespace', ns, 'uid', uid,"
          + "    'creationTimestamp', to_char(started - interval '2 seconds',"
          + "      'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
          + "    'labels', jsonb_build_object('workflows.argoproj.io/completed', 'true',"
          + "      'workflows.argoproj.io/phase', phase,"
          + "      'workflows.argoproj.io/workflow-archiving-status', 'Persisted',"
          + "      'workflows.argoproj.io/workflow-template', tmpl, 'app', app, 'team', team,"
          + "      'env', env),"
          + "    'annotations', jsonb_build_object('workflows.argoproj.io/pod-name-format',"
          + "      'v2')),"
          + "  'spec', jsonb_build_object('entrypoint', 'main', 'workflowTemplateRef',"
          + "    jsonb_build_object('name', tmpl), 'arguments', jsonb_build_object('parameters',"
          + "    jsonb_build_array(jsonb_build_object('name', 'run', 'value', g::text)))),"
          + "  'status', jsonb_build_object('phase', phase, 'progress', '3/3', 'message',"
          + "    CASE WHEN phase = 'Succeeded' THEN '' ELSE 'child failed' END,"
          + "    'startedAt', to_char(started, 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
          + "    'finishedAt', to_char(started + dur, 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
          + "    'nodes', jsonb_build_object(name, jsonb_build_object('id', name, 'phase', phase,"
          + "      'type', 'DAG'), name || '-1', jsonb_build_object('id', name || '-1',"
          + "      'phase', phase, 'type', 'Pod', 'templateName', 'step-a'), name || '-2',"
          + "      jsonb_build_object('id', name || '-2', 'phase', phase, 'type', 'Pod',"
          + "      'templateName', 'step-b')))),"
          + " started, started + dur, 'default', '', started - interval '2 seconds'"
          + " FROM (SELECT g, md5(g::text) AS h,"
          + "   substr(md5(g::text), 1, 8) || '-' || substr(md5(g::text), 9, 4) || '-' ||"
          + "   substr(md5(g::text), 13, 4) || '-' || substr(md5(g::text), 17, 4) || '-' ||"
          + "   substr(md5(g::text), 21, 12) AS uid,"
          + "   'wf-' || g AS name,"
          + "   'ns-' || lpad((floor(20 * power(random(), 2.5)))::int::text, 2, '0') AS ns,"
          + "   CASE WHEN random() < 0.8 THEN 'Succeeded' WHEN random() < 0.75 THEN 'Failed'"
          + "     ELSE 'Error' END AS phase,"
          + "   'tmpl-' || (g % 40) AS tmpl, 'app-' || (g % 50) AS app,"
          + "   'team-' || (g % 10) AS team,"
          + "   (ARRAY['prod', 'staging', 'dev'])[1 + g % 3] AS env,"
          + "   timestamp '2024-01-01' + g * interval '20 seconds'"
          + "     + (random() * 10) * interval '1 second' AS started,"
          + "   (30 + random() * 600) * interval '1 second' AS dur"
          + "   FROM generate_series(1, " + rows + ") g) x");
      System.err.printf(Locale.ROOT, "[query] workflows in %.0f s%n",
          (System.nanoTime() - start) / 1e9);
      s.execute("INSERT INTO argo_archived_workflows_labels (clustername, uid, name, value)"
          + " SELECT clustername, uid, l.key, l.value FROM argo_archived_workflows,"
          + " jsonb_each_text(workflow->'metadata'->'labels') l");
      System.err.printf(Locale.ROOT, "[query] labels in %.0f s%n",
          (System.nanoTime() - start) / 1e9);
      for (String[] i : INDEXES) {
        s.execute("CREATE INDEX " + i[0] + " ON " + i[1]);
      }
      s.execute("VACUUM ANALYZE argo_archived_workflows");
      s.execute("VACUUM ANALYZE argo_archived_workflows_labels");
      s.execute("INSERT INTO archivist_bench_seed VALUES (" + rows + ", " + SEED_VERSION + ")");
      System.err.printf(Locale.ROOT, "[query] seeded in %.0f s%n",
          (System.nanoTime() - start) / 1e9);
    }
  }

  /** Kept for callers that want to see the rows a query will page through. */
  static List<String> explain(Connection c, String sql) throws SQLException {
    List<String> plan = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("EXPLAIN " + sql)) {
      while (rs.next()) {
        plan.add(rs.getString(1));
      }
    }
    return plan;
  }
}
