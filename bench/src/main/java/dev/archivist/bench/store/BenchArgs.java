package dev.archivist.bench.store;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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

  String string(String key, String dflt) {
    return values.getOrDefault(key, dflt);
  }

  int integer(String key, int dflt) {
    String v = values.get(key);
    if (v == null) {
      return dflt;
    }
    try {
      int n = Integer.parseInt(v.replace("_", ""));
      if (n < 1) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(program + ": --" + key + " must be a positive integer,"
          + " got '" + v + "'");
    }
  }

  /** A size such as {@code 16384}, {@code 16KiB}, {@code 16k} or {@code 1MiB}. */
  /** A number at least 0, such as a time in milliseconds. */
  double decimal(String key, double dflt) {
    String v = values.get(key);
    if (v == null) {
      return dflt;
    }
    try {
      double d = Double.parseDouble(v);
      if (!(d >= 0) || Double.isInfinite(d)) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(program + ": --" + key + " must be a number of at least"
          + " 0, got '" + v + "'");
    }
  }

  int bytes(String key, int dflt) {
    String v = values.get(key);
    if (v == null) {
      return dflt;
    }
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
    try {
      long n = Long.parseLong(s) * mult;
      if (n < 1 || n > Integer.MAX_VALUE) {
        throw new NumberFormatException();
      }
      return (int) n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(program + ": --" + key + " must be a size like 16KiB,"
          + " got '" + v + "'");
    }
  }
}
