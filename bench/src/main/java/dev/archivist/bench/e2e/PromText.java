package dev.archivist.bench.e2e;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The samples of a Prometheus text exposition (what the API server's {@code /metrics} serves):
 * one {@link Sample} per line that is not a comment, with its labels unescaped. Enough of the
 * format for reading counters and histogram sums; exemplars and timestamps are ignored.
 */
public final class PromText {
  /** One sample line: a metric name, its labels, and its value. */
  public record Sample(String name, Map<String, String> labels, double value) {
    public String label(String key) {
      return labels.getOrDefault(key, "");
    }
  }

  private final List<Sample> samples;

  private PromText(List<Sample> samples) {
    this.samples = Collections.unmodifiableList(samples);
  }

  public List<Sample> samples() {
    return samples;
  }

  /** Parses {@code text}; a malformed line fails with its line number and content. */
  public static PromText parse(String text) {
    List<Sample> out = new ArrayList<>();
    String[] lines = text.split("\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      try {
        out.add(parseLine(line));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("line " + (i + 1) + " is not a Prometheus sample ("
            + e.getMessage() + "): " + line, e);
      }
    }
    return new PromText(out);
  }

  private static Sample parseLine(String line) {
    int brace = line.indexOf('{');
    int space = line.indexOf(' ');
    String name;
    Map<String, String> labels = new LinkedHashMap<>();
    int rest;
    if (brace >= 0 && (space < 0 || brace < space)) {
      name = line.substring(0, brace);
      rest = parseLabels(line, brace + 1, labels);
    } else {
      if (space < 0) {
        throw new IllegalArgumentException("no value");
      }
      name = line.substring(0, space);
      rest = space;
    }
    if (name.isEmpty()) {
      throw new IllegalArgumentException("no metric name");
    }
    String[] tail = line.substring(rest).strip().split("\\s+");
    if (tail.length == 0 || tail[0].isEmpty()) {
      throw new IllegalArgumentException("no value");
    }
    return new Sample(name, labels, parseValue(tail[0]));
  }

  /** Reads {@code k="v",...}} from {@code start}; returns the index after the closing brace. */
  private static int parseLabels(String line, int start, Map<String, String> labels) {
    int i = start;
    while (true) {
      while (i < line.length() && (line.charAt(i) == ',' || line.charAt(i) == ' ')) {
        i++;
      }
      if (i >= line.length()) {
        throw new IllegalArgumentException("unclosed label set");
      }
      if (line.charAt(i) == '}') {
        return i + 1;
      }
      int eq = line.indexOf('=', i);
      if (eq < 0 || eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
        throw new IllegalArgumentException("a label without =\"value\"");
      }
      String key = line.substring(i, eq).strip();
      StringBuilder value = new StringBuilder();
      int j = eq + 2;
      for (; j < line.length(); j++) {
        char c = line.charAt(j);
        if (c == '\\' && j + 1 < line.length()) {
          char n = line.charAt(++j);
          value.append(n == 'n' ? '\n' : n);
        } else if (c == '"') {
          break;
        } else {
          value.append(c);
        }
      }
      if (j >= line.length()) {
        throw new IllegalArgumentException("unclosed label value");
      }
      labels.put(key, value.toString());
      i = j + 1;
    }
  }

  private static double parseValue(String v) {
    return switch (v) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(v);
    };
  }

  /** The sum of the samples named {@code name} that {@code filter} accepts. */
  public double sum(String name, Predicate<Sample> filter) {
    double total = 0;
    for (Sample s : samples) {
      if (s.name().equals(name) && filter.test(s)) {
        total += s.value();
      }
    }
    return total;
  }

  /**
   * The samples named {@code name} that {@code filter} accepts, summed by the value of
   * {@code label}.
   */
  public Map<String, Double> sumBy(String name, String label, Predicate<Sample> filter) {
    Map<String, Double> out = new TreeMap<>();
    for (Sample s : samples) {
      if (s.name().equals(name) && filter.test(s)) {
        out.merge(s.label(label), s.value(), Double::sum);
      }
    }
    return out;
  }
}
