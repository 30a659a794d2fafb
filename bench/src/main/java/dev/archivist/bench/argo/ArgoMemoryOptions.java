package dev.archivist.bench.argo;

import dev.archivist.bench.e2e.FlagValues;
import dev.archivist.core.Redaction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The flags of {@code bench/argo-memory}; every bad value is a usage error naming the flag. */
record ArgoMemoryOptions(Path kubeconfig, Path argoBin, String db, int workflows, int sizeBytes,
    double delayMs, int maxSeconds, int settleSeconds, int sampleMillis, String archivistHeap,
    List<String> modes, Path out) {

  static final String USAGE = """
      usage: bench/argo-memory --kubeconfig FILE --argo-bin DIR [--db JDBC_URL]
                               [--workflows 5000] [--size 64KiB] [--delay-ms 2]
                               [--mode argo|archivist|all] [--max-seconds 1200]
                               [--settle-seconds 20] [--sample-ms 1000] [--archivist-heap 256m]
                               [--out target/bench]""";

  static ArgoMemoryOptions parse(String[] args) {
    Path kubeconfig = null;
    Path argoBin = null;
    String db = System.getenv().getOrDefault("ARCHIVIST_TEST_POSTGRES_URL",
        "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
    int workflows = 5000;
    int size = 64 * 1024;
    double delay = 2;
    int maxSeconds = 1200;
    int settle = 20;
    int sampleMs = 1000;
    String heap = "256m";
    List<String> modes = List.of("argo", "archivist");
    Path out = Path.of("target", "bench");
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      FlagValues.exitOnHelp(flag, USAGE);
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      String v = args[++i];
      switch (flag) {
        case "--kubeconfig" -> kubeconfig = Path.of(v);
        case "--argo-bin" -> argoBin = Path.of(v);
        case "--db" -> db = v;
        case "--workflows" -> workflows = positive(flag, v);
        case "--size" -> size = size(flag, v);
        case "--delay-ms" -> delay = nonNegative(flag, v);
        case "--max-seconds" -> maxSeconds = positive(flag, v);
        case "--settle-seconds" -> settle = positive(flag, v);
        case "--sample-ms" -> sampleMs = positive(flag, v);
        case "--archivist-heap" -> heap = v;
        case "--mode" -> modes = switch (v) {
          case "argo" -> List.of("argo");
          case "archivist" -> List.of("archivist");
          case "all" -> List.of("argo", "archivist");
          default -> throw new IllegalArgumentException("--mode must be argo, archivist or all,"
              + " got " + v);
        };
        case "--out" -> out = Path.of(v);
        default -> throw new IllegalArgumentException("unknown flag " + flag);
      }
    }
    if (kubeconfig == null || !Files.isRegularFile(kubeconfig)) {
      throw new IllegalArgumentException("--kubeconfig must name a kubeconfig file, got "
          + kubeconfig);
    }
    if (argoBin == null || !Files.isExecutable(argoBin.resolve("workflow-controller"))) {
      throw new IllegalArgumentException("--argo-bin must name the folder hack/argo/build.sh"
          + " prints, got " + argoBin);
    }
    if (!db.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("--db must be a jdbc:postgresql: URL, got "
          + Redaction.url(db));
    }
    return new ArgoMemoryOptions(kubeconfig, argoBin, db, workflows, size, delay, maxSeconds,
        settle, sampleMs, heap, modes, out);
  }

  private static int positive(String flag, String v) {
    try {
      int n = Integer.parseInt(v);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(flag + " must be a positive integer, got " + v);
  }

  private static double nonNegative(String flag, String v) {
    try {
      double d = Double.parseDouble(v);
      if (d >= 0 && Double.isFinite(d)) {
        return d;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(flag + " must be a number >= 0, got " + v);
  }

  /** {@code 65536}, {@code 64KiB}, {@code 1MiB}. */
  private static int size(String flag, String v) {
    String s = v.trim().toLowerCase(Locale.ROOT);
    int mult = 1;
    if (s.endsWith("kib")) {
      mult = 1024;
      s = s.substring(0, s.length() - 3);
    } else if (s.endsWith("mib")) {
      mult = 1024 * 1024;
      s = s.substring(0, s.length() - 3);
    }
    try {
      long n = Long.parseLong(s.trim()) * mult;
      if (n >= 1024 && n <= 1024 * 1024) {
        return (int) n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(flag + " must be a size from 1KiB to 1MiB, got " + v);
  }
}
