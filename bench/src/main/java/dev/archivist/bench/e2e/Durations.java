package dev.archivist.bench.e2e;

/** Durations such as {@code 90s}, {@code 30m} or {@code 1h}, in seconds. */
public final class Durations {
  private Durations() {}

  public static double seconds(String text) {
    String t = text.trim();
    double unit = t.endsWith("h") ? 3600 : t.endsWith("m") ? 60 : t.endsWith("s") ? 1 : -1;
    if (unit < 0) {
      throw new IllegalArgumentException("a duration needs a unit s, m or h: '" + text + "'");
    }
    try {
      double v = Double.parseDouble(t.substring(0, t.length() - 1)) * unit;
      if (v <= 0) {
        throw new IllegalArgumentException("a duration must be positive: '" + text + "'");
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a duration (try 30m): '" + text + "'");
    }
  }
}
