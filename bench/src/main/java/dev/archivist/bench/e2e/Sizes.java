package dev.archivist.bench.e2e;

import java.util.Locale;

/** Sizes such as {@code 64KiB}, {@code 1MiB} or {@code 2048} (bytes). */
public final class Sizes {
  private Sizes() {}

  public static int parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    long unit = 1;
    if (t.endsWith("kib")) {
      unit = 1024;
      t = t.substring(0, t.length() - 3);
    } else if (t.endsWith("mib")) {
      unit = 1024 * 1024;
      t = t.substring(0, t.length() - 3);
    } else if (t.endsWith("b")) {
      t = t.substring(0, t.length() - 1);
    }
    try {
      long v = Long.parseLong(t.trim()) * unit;
      if (v < 2048 || v > 1024 * 1024) {
        throw new IllegalArgumentException(
            "a workflow size must be 2KiB..1MiB, got '" + text + "'");
      }
      return (int) v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a size (try 64KiB): '" + text + "'");
    }
  }
}
