package dev.archivist.bench.chaos;

import static dev.archivist.bench.e2e.FlagValues.integer;

import dev.archivist.bench.e2e.FlagValues;
import dev.archivist.bench.e2e.Sizes;
import dev.archivist.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code bench/chaos}: the reliability campaign on the test bed's real API server and a real
 * database (see {@link ChaosCampaign}). Writes {@code target/bench/chaos.json}, prints the table,
 * and exits 1 when the account finds anything lost, duplicated or otherwise wrong (2 on bad flags).
 */
public final class ChaosMain {
  static final String USAGE = String.join("\n",
      "bench/chaos [--workflows 20000] [--rate 20] [--min-size 2KiB] [--max-size 1MiB]",
      "            [--compressed-every 250] [--queue-capacity 1000] [--db-outage 60]",
      "            [--slow 60] [--slow-ms 200] [--api-down 15] [--leader-kills 3]",
      "            [--pokes 20] [--finalizer] [--mysql] [--db JDBC_URL] [--heap 256m]",
      "            [--heap-bound-mib 64] [--heap-dump-over-mib 0] [--settle 300] [--drain 900]",
      "            [--http-port 18190]",
      "            [--api-port 17543] [--etcd-port 17479] [--kube-dir target/bench/chaos-kube]",
      "            [--out target/bench]",
      "Without --db the archive is a private PostgreSQL (stopped and started for real);",
      "--mysql uses ARCHIVIST_TEST_MYSQL_URL's MariaDB, cut off at a proxy for the outage.",
      "--heap-dump-over-mib N: a replica whose live heap passes N MiB writes its class histogram",
      "and a heap dump at each new peak into the run's log folder (0: never).");

  private ChaosMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o;
    try {
      o = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench/chaos: " + e.getMessage() + "\n" + USAGE);
      System.exit(2);
      return;
    }
    Path root = Path.of(System.getProperty("archivist.repo.root", ".")).toAbsolutePath();
    Path out = root.resolve(o.get("out"));
    String runId = "c" + Long.toString(System.currentTimeMillis(), 36);
    ChaosSettings s = new ChaosSettings(runId, integer(o, "workflows"),
        Double.parseDouble(o.get("rate")), Sizes.parse(o.get("min-size")),
        Sizes.parse(o.get("max-size")), integer(o, "compressed-every"),
        integer(o, "queue-capacity"), integer(o, "db-outage"), integer(o, "slow"),
        integer(o, "slow-ms"), integer(o, "api-down"), integer(o, "leader-kills"),
        o.containsKey("finalizer"), o.get("heap"), integer(o, "heap-bound-mib"),
        integer(o, "heap-dump-over-mib"),
        integer(o, "http-port"), integer(o, "settle"), integer(o, "drain"), integer(o, "pokes"),
        out.resolve("chaos-" + runId));
    ChaosDatabase db;
    if (o.containsKey("mysql")) {
      String url = o.getOrDefault("db", System.getenv("ARCHIVIST_TEST_MYSQL_URL"));
      if (url == null) {
        System.err.println("bench/chaos: --mysql needs --db JDBC_URL or ARCHIVIST_TEST_MYSQL_URL"
            + " (for example jdbc:mariadb://127.0.0.1:3306/archivist_test?user=root)\n" + USAGE);
        System.exit(2);
        return;
      }
      db = SharedDatabase.create(url, "chaos_" + runId);
    } else if (o.containsKey("db")) {
      db = SharedDatabase.create(o.get("db"), "chaos_" + runId);
    } else {
      db = PrivatePostgres.start(out.resolve("chaos-pg-" + runId));
    }
    Account account;
    try (ChaosDatabase d = db; ScriptCluster cluster = ScriptCluster.up(root,
        root.resolve(o.get("kube-dir")), integer(o, "api-port"), integer(o, "etcd-port"))) {
      ChaosCampaign.log("run %s: archive %s; logs in %s", runId,
          d.mysql() ? "MariaDB" : "PostgreSQL", s.out());
      account = new ChaosCampaign(s, cluster, d, Fixtures.locate(root).resolve("kfp")).run();
    }
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("benchmark", "chaos");
    report.put("date", Instant.now().toString());
    report.put("run", runId);
    report.put("settings", o);
    report.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(),
        "java", System.getProperty("java.version")));
    report.putAll(account.report());
    Path json = out.resolve("chaos.json");
    Files.writeString(json, JsonMapper.builder().build().writerWithDefaultPrettyPrinter()
        .writeValueAsString(report));
    System.out.println(account.table());
    System.out.println("wrote " + json);
    System.exit(account.ok() ? 0 : 1);
  }

  static Map<String, String> parse(String[] args) {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("workflows", "20000");
    v.put("rate", "20");
    v.put("min-size", "2KiB");
    v.put("max-size", "1MiB");
    v.put("compressed-every", "250");
    v.put("queue-capacity", "1000");
    v.put("db-outage", "60");
    v.put("slow", "60");
    v.put("slow-ms", "200");
    v.put("api-down", "15");
    v.put("leader-kills", "3");
    v.put("pokes", "20");
    v.put("heap", "256m");
    v.put("heap-bound-mib", "64");
    v.put("heap-dump-over-mib", "0");
    v.put("settle", "300");
    v.put("drain", "900");
    v.put("http-port", "18190");
    v.put("api-port", "17543");
    v.put("etcd-port", "17479");
    v.put("kube-dir", "target/bench/chaos-kube");
    v.put("out", "target/bench");
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      FlagValues.exitOnHelp(a, USAGE);
      if (a.equals("--finalizer") || a.equals("--mysql")) {
        v.put(a.substring(2), "true");
        continue;
      }
      if (!a.startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --flag value, got '" + a + "'");
      }
      String name = a.substring(2);
      if (!v.containsKey(name) && !name.equals("db")) {
        throw new IllegalArgumentException("unknown flag --" + name);
      }
      v.put(name, args[++i]);
    }
    FlagValues.requireAtLeastOne(v, List.of("workflows", "queue-capacity", "db-outage", "slow",
        "api-down", "heap-bound-mib", "settle", "drain", "http-port", "api-port", "etcd-port",
        "pokes"));
    if (!(Double.parseDouble(v.get("rate")) > 0)) {
      throw new IllegalArgumentException("--rate must be > 0, got " + v.get("rate"));
    }
    FlagValues.requireSizesInOrder(v);
    return v;
  }
}
