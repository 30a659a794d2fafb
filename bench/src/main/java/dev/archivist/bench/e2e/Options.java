package dev.archivist.bench.e2e;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The real-API-server benchmarks' flags, {@code --name value} each, over the defaults of the
 * benchmark chosen by {@code --bench e2e|backlog}. Unknown flags and bad values fail with the
 * flag's name.
 */
final class Options {
  static final String USAGE = String.join("\n",
      "bench/e2e [--workflows 5000] [--min-size 16KiB] [--max-size 64KiB] [--kube-qps 50]",
      "          [--kube-burst 100] [--scenarios keep,delete] [--delete-after 0s] [--heap 256m]",
      "bench/memory --api real --restart-with-backlog [--workflows 10000] [--size 64KiB]",
      "          [--heap 128m] [--modes archivist,argo] [--watch-cache false]",
      "both:     [--db JDBC_URL] [--api-port 17443] [--etcd-port 17379] [--kube-dir DIR]",
      "          [--watch-cache true|false: the API server's; e2e true, backlog false]",
      "          [--http-port 18080] [--timeout 30m] [--out target/bench]");

  final Map<String, String> values = new LinkedHashMap<>();

  static Options parse(String[] args) {
    Options o = new Options();
    String bench = "e2e";
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--bench") && i + 1 < args.length) {
        bench = args[i + 1];
      }
    }
    if (!bench.equals("e2e") && !bench.equals("backlog")) {
      throw new IllegalArgumentException("--bench takes e2e or backlog, got " + bench);
    }
    Map<String, String> v = o.values;
    v.put("bench", bench);
    v.put("workflows", bench.equals("e2e") ? "5000" : "10000");
    v.put("min-size", bench.equals("e2e") ? "16KiB" : "64KiB");
    v.put("max-size", "64KiB");
    v.put("kube-qps", "50");
    v.put("kube-burst", "100");
    v.put("scenarios", "keep,delete");
    v.put("delete-after", "0s");
    v.put("modes", "archivist,argo");
    v.put("heap", bench.equals("e2e") ? "256m" : "128m");
    v.put("db", "jdbc:postgresql://127.0.0.1:5432/archivist_bench?user=postgres");
    v.put("api-port", "17443");
    v.put("etcd-port", "17379");
    v.put("kube-dir", "target/bench/kube");
    // With its watch cache, the API server holds every workflow decoded: 10,000 of 64 KiB grew it
    // past 20 GB, more than the machine the backlog benchmark is meant to run on.
    v.put("watch-cache", bench.equals("e2e") ? "true" : "false");
    v.put("http-port", "18080");
    v.put("timeout", "30m");
    v.put("out", "target/bench");
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      FlagValues.exitOnHelp(a, USAGE);
      if (a.equals("--restart-with-backlog")) {
        continue; // what --bench backlog means; the script passes both
      }
      if (!a.startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --flag value, got '" + a + "'\n" + USAGE);
      }
      String name = a.substring(2);
      if (name.equals("size")) { // the backlog's one size
        v.put("min-size", args[i + 1]);
        v.put("max-size", args[i + 1]);
      } else if (name.equals("api")) {
        if (!args[i + 1].equals("real")) {
          throw new IllegalArgumentException("--api takes real here, got " + args[i + 1]);
        }
      } else if (!v.containsKey(name)) {
        throw new IllegalArgumentException("unknown flag --" + name + "\n" + USAGE);
      } else {
        v.put(name, args[i + 1]);
      }
      i++;
    }
    FlagValues.requireAtLeastOne(v,
        List.of("workflows", "api-port", "etcd-port", "http-port", "kube-burst"));
    FlagValues.requireSizesInOrder(v);
    if (!v.get("watch-cache").equals("true") && !v.get("watch-cache").equals("false")) {
      throw new IllegalArgumentException("--watch-cache takes true or false, got "
          + v.get("watch-cache"));
    }
    Durations.seconds(v.get("timeout"));
    o.number("kube-qps");
    return o;
  }

  String get(String name) {
    return values.get(name);
  }

  int integer(String name) {
    return FlagValues.integer(values, name);
  }

  double number(String name) {
    try {
      return Double.parseDouble(values.get(name));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " takes a number, got '"
          + values.get(name) + "'");
    }
  }
}
