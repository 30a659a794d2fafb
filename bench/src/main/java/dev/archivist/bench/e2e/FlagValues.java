package dev.archivist.bench.e2e;

import java.util.List;
import java.util.Map;

/**
 * The checks that the benchmarks' {@code --name value} flags share, on the values held by name
 * (without the dashes) after parsing, and their answer to a request for help. Each failure is an
 * {@link IllegalArgumentException} that names the flag.
 */
public final class FlagValues {
  private FlagValues() {}

  /**
   * Prints {@code usage} to standard output and exits with status 0 when {@code arg} asks for
   * help: {@code --help} or {@code -h}.
   */
  public static void exitOnHelp(String arg, String usage) {
    if (arg.equals("--help") || arg.equals("-h")) {
      System.out.println(usage);
      System.exit(0);
    }
  }

  /** The whole number given for {@code --name}. */
  public static int integer(Map<String, String> values, String name) {
    try {
      return Integer.parseInt(values.get(name));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " takes a whole number, got '"
          + values.get(name) + "'");
    }
  }

  /** Fails unless every flag of {@code names} is a whole number of at least 1. */
  public static void requireAtLeastOne(Map<String, String> values, List<String> names) {
    for (String k : names) {
      if (integer(values, k) < 1) {
        throw new IllegalArgumentException("--" + k + " must be at least 1, got " + values.get(k));
      }
    }
  }

  /** Fails unless {@code --min-size} and {@code --max-size} are sizes, the first not larger. */
  public static void requireSizesInOrder(Map<String, String> values) {
    if (Sizes.parse(values.get("min-size")) > Sizes.parse(values.get("max-size"))) {
      throw new IllegalArgumentException("--min-size must not exceed --max-size");
    }
  }
}
