package dev.archivist.bench.store;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** {@code --flag value} arguments, checked against the flags a benchmark knows. */
final class BenchArgs {
  private final String program;
  private final Map<String, String> values = new HashMap<>();

  BenchArgs(String program, String[] args, Set<String> known) {
    this.program = program;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-h") || a.equals("--help")) {
        throw new IllegalArgumentException("usage: " + program + " " + String.join(" ",
            known.stream().sorted().map(k -> "[--" + k + " V]").toList()));
      }
      String key;
      String value;
      if (a.startsWith("--") && a.contains("=")) {
        key = a.substring(2, a.indexOf('='));
        value = a.substring(a.indexOf('=') + 1);
      } else if (a.startsWith("--") && i + 1 < args.length) {
        key = a.substring(2);
        value = args[++i];
      } else {
        throw new IllegalArgumentException(program + ": unexpected argument '" + a + "'");
      }
      if (!known.contains(key)) {
        throw new IllegalArgumentException(program + ": unknown flag --" + key + "; known: --"
            + String.join(", --", known.stream().sorted().toList()));
      }
      values.put(key, value);
    }
  }

  /**
   * The arguments of {@code program}, as the constructor reads them; on an unknown or malformed
   * flag, or a request for help, prints the message to standard error and exits with status 2.
   */
  static BenchArgs parseOrExit(String program, String[] args, Set<String> known) {
    try {
      return new BenchArgs(program, args, known);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      throw e; // not reached: exit does not return
    }
  }

  String string(String key, String dflt) {
    return values.getOrDefault(key, dflt);
  }

  int integer(String key, int dflt) {
    return parsed(key, dflt, "a positive integer", v -> {
      int n = Integer.parseInt(v.replace("_", ""));
      return n >= 1 ? n : null;
    });
  }

  /** A number at least 0, such as a time in milliseconds. */
  double decimal(String key, double dflt) {
    return parsed(key, dflt, "a number of at least 0", v -> {
      double d = Double.parseDouble(v);
      return d >= 0 && !Double.isInfinite(d) ? d : null;
    });
  }

  /** A size such as {@code 16384}, {@code 16KiB}, {@code 16k} or {@code 1MiB}. */
  int bytes(String key, int dflt) {
    return parsed(key, dflt, "a size like 16KiB", v -> {
      String s = v.trim().toLowerCase(Locale.ROOT);
      long mult = 1;
      for (String[] u : new String[][] {{"kib", "1024"}, {"mib", "1048576"}, {"kb", "1000"},
          {"mb", "1000000"}, {"k", "1024"}, {"m", "1048576"}}) {
        if (s.endsWith(u[0])) {
          mult = Long.parseLong(u[1]);
          s = s.substring(0, s.length() - u[0].length()).trim();
          break;
        }
      }
      long n = Long.parseLong(s) * mult;
      return n >= 1 && n <= Integer.MAX_VALUE ? (int) n : null;
    });
  }

  /**
   * The value of {@code --key} read by {@code parse}, or {@code dflt} when it is not given.
   * {@code parse} returns null, or throws {@link NumberFormatException}, for a value that is
   * not {@code what}; the message then names the flag, {@code what} and the value.
   */
  private <T> T parsed(String key, T dflt, String what, Function<String, T> parse) {
    String v = values.get(key);
    if (v == null) {
      return dflt;
    }
    T parsed;
    try {
      parsed = parse.apply(v);
    } catch (NumberFormatException e) {
      parsed = null;
    }
    if (parsed == null) {
      throw new IllegalArgumentException(program + ": --" + key + " must be " + what
          + ", got '" + v + "'");
    }
    return parsed;
  }
}
