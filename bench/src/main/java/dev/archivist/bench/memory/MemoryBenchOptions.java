package dev.archivist.bench.memory;

import dev.archivist.core.Redaction;
import dev.archivist.testing.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The settings of one {@code bench/memory} run. Every mode runs with the same values, so the modes
 * differ only in the design under test.
 *
 * @param modes the modes to run, in this order
 * @param heap the {@code -Xmx} of every measured JVM, as the JVM spells it ({@code 256m})
 * @param workflows how many workflows the generator creates (W)
 * @param sizeBytes the JSON size of a completed workflow (S)
 * @param updates status updates each workflow goes through before it completes (U)
 * @param archiveQps workflows archived per second at most, in every mode (R)
 * @param generateQps workflows the generator starts per second; must exceed {@code archiveQps}
 * @param generatorClients parallel generator clients (threads, each with its own client)
 * @param db the JDBC URL of the PostgreSQL database the modes archive into
 * @param workers archive workers (argo and archivist modes)
 * @param batchSize workflows per transaction at most (argo and archivist modes)
 * @param kubeQps client-side Kubernetes QPS of the measured JVM
 * @param kubeBurst client-side Kubernetes burst of the measured JVM
 * @param apiHeap the {@code -Xmx} of the mock API server JVM
 * @param gcArchived whether the API JVM deletes a workflow once it is labelled Archived
 * @param outDir where results go
 * @param fixturesDir the KFP fixtures folder used as spec templates (may not exist)
 * @param maxSeconds stop each mode after this many seconds of generation even if it has not
 *     drained (outcome {@code stopped}); 0 means only the built-in bounds apply
 */
record MemoryBenchOptions(
    List<Mode> modes,
    String heap,
    int workflows,
    int sizeBytes,
    int updates,
    double archiveQps,
    double generateQps,
    int generatorClients,
    String db,
    int workers,
    int batchSize,
    double kubeQps,
    int kubeBurst,
    String apiHeap,
    boolean gcArchived,
    Path outDir,
    Path fixturesDir,
    int maxSeconds) {

  static final String USAGE = String.join("\n",
      "usage: bench/memory [--mode naive|argo|archivist|all] [--heap 256m] [--workflows 5000]",
      "                    [--size 64KiB] [--updates 2] [--archive-qps 20] [--generate-qps 100]",
      "                    [--generator-clients 4] [--db JDBC_URL] [--workers 8] [--batch-size 50]",
      "                    [--kube-qps 200] [--kube-burst 400] [--api-heap 6g]",
      "                    [--gc-archived true|false] [--out target/bench] [--fixtures DIR]",
      "                    [--max-seconds 0]");

  MemoryBenchOptions {
    modes = List.copyOf(modes);
    if (modes.isEmpty()) {
      throw new IllegalArgumentException("--mode selects no mode");
    }
    parseMemory("--heap", heap);
    parseMemory("--api-heap", apiHeap);
    requireAtLeast("--workflows", workflows, 1);
    requireAtLeast("--size", sizeBytes, 2048);
    requireAtLeast("--updates", updates, 0);
    requireAtLeast("--workers", workers, 1);
    requireAtLeast("--batch-size", batchSize, 1);
    requireAtLeast("--generator-clients", generatorClients, 1);
    requireAtLeast("--kube-burst", kubeBurst, 1);
    requireAtLeast("--max-seconds", maxSeconds, 0);
    if (!(archiveQps > 0) || Double.isInfinite(archiveQps)) {
      throw new IllegalArgumentException("--archive-qps must be > 0 and finite, got " + archiveQps);
    }
    if (!(generateQps > archiveQps) || Double.isInfinite(generateQps)) {
      throw new IllegalArgumentException("--generate-qps must be finite and greater than"
          + " --archive-qps (" + archiveQps + ") so that a backlog builds, got " + generateQps);
    }
    if (!(kubeQps > 0)) {
      throw new IllegalArgumentException("--kube-qps must be > 0, got " + kubeQps);
    }
    if (!db.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("--db must be a jdbc:postgresql: URL, got '"
          + Redaction.url(db) + "'");
    }
  }

  static MemoryBenchOptions parse(String[] args, Path repoRoot) {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("--mode", "all");
    v.put("--heap", "256m");
    v.put("--workflows", "5000");
    v.put("--size", "64KiB");
    v.put("--updates", "2");
    v.put("--archive-qps", "20");
    v.put("--generate-qps", "100");
    v.put("--generator-clients", "4");
    v.put("--db", "jdbc:postgresql://127.0.0.1:5432/archivist_bench?user=postgres");
    v.put("--workers", "8");
    v.put("--batch-size", "50");
    v.put("--kube-qps", "200");
    v.put("--kube-burst", "400");
    v.put("--api-heap", "6g");
    v.put("--gc-archived", "true");
    v.put("--out", "target/bench");
    v.put("--max-seconds", "0");
    v.put("--fixtures", Fixtures.locate(repoRoot).resolve("kfp").toString());
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String value;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        value = arg.substring(eq + 1);
        arg = arg.substring(0, eq);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException(arg + " needs a value\n" + USAGE);
      }
      if (!v.containsKey(arg)) {
        throw new IllegalArgumentException("unknown flag '" + arg + "'\n" + USAGE);
      }
      v.put(arg, value);
    }
    List<Mode> modes = new ArrayList<>();
    String mode = v.get("--mode");
    if (mode.equals("all")) {
      modes.addAll(EnumSet.allOf(Mode.class));
    } else {
      Set<Mode> seen = EnumSet.noneOf(Mode.class);
      for (String m : mode.split(",")) {
        if (seen.add(Mode.parse(m.trim()))) {
          modes.add(Mode.parse(m.trim()));
        }
      }
    }
    return new MemoryBenchOptions(
        modes,
        v.get("--heap"),
        parseInt("--workflows", v.get("--workflows")),
        (int) parseMemory("--size", v.get("--size")),
        parseInt("--updates", v.get("--updates")),
        parseDouble("--archive-qps", v.get("--archive-qps")),
        parseDouble("--generate-qps", v.get("--generate-qps")),
        parseInt("--generator-clients", v.get("--generator-clients")),
        v.get("--db"),
        parseInt("--workers", v.get("--workers")),
        parseInt("--batch-size", v.get("--batch-size")),
        parseDouble("--kube-qps", v.get("--kube-qps")),
        parseInt("--kube-burst", v.get("--kube-burst")),
        v.get("--api-heap"),
        parseBoolean("--gc-archived", v.get("--gc-archived")),
        Path.of(v.get("--out")),
        Path.of(v.get("--fixtures")),
        parseInt("--max-seconds", v.get("--max-seconds")));
  }

  long heapBytes() {
    return parseMemory("--heap", heap);
  }

  /**
   * Parses a size: plain bytes, or a number with {@code k/m/g} (JVM style) or {@code KiB/MiB/GiB}.
   */
  static long parseMemory(String flag, String value) {
    String s = value.trim().toLowerCase(Locale.ROOT);
    long unit = 1;
    String[][] suffixes = {{"kib", "1024"}, {"mib", "1048576"}, {"gib", "1073741824"},
        {"k", "1024"}, {"m", "1048576"}, {"g", "1073741824"}, {"b", "1"}};
    for (String[] suffix : suffixes) {
      if (s.endsWith(suffix[0])) {
        unit = Long.parseLong(suffix[1]);
        s = s.substring(0, s.length() - suffix[0].length());
        break;
      }
    }
    try {
      long n = Long.parseLong(s.trim());
      if (n <= 0) {
        throw new NumberFormatException();
      }
      return Math.multiplyExact(n, unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException(flag + " must be a positive size such as 256m or 64KiB,"
          + " got '" + value + "'");
    }
  }

  private static int parseInt(String flag, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " must be an integer, got '" + value + "'");
    }
  }

  private static double parseDouble(String flag, String value) {
    try {
      return Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " must be a number, got '" + value + "'");
    }
  }

  private static boolean parseBoolean(String flag, String value) {
    if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(value);
    }
    throw new IllegalArgumentException(flag + " must be true or false, got '" + value + "'");
  }

  private static void requireAtLeast(String flag, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(flag + " must be >= " + min + ", got " + value);
    }
  }
}
