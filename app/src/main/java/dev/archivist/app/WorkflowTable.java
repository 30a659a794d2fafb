package dev.archivist.app;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Archived workflows as a kubectl-style table: left-aligned columns separated by three spaces,
 * ages and durations humanized ({@code 5m10s}, {@code 3h}, {@code 2d}), {@code -} for unknown.
 */
final class WorkflowTable {
  static final List<String> HEADERS =
      List.of("NAME", "NAMESPACE", "PHASE", "STARTED", "FINISHED", "DURATION", "UID");
  private static final String GAP = "   ";

  private WorkflowTable() {}

  static String render(List<? extends JsonNode> workflows, Instant now) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(HEADERS);
    for (JsonNode wf : workflows) {
      rows.add(row(wf, now));
    }
    return align(rows);
  }

  /** Left-aligned columns, three spaces apart, the last column not padded. */
  static String align(List<List<String>> rows) {
    int[] widths = new int[rows.get(0).size()];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        String cell = row.get(i);
        line.append(cell);
        if (i < row.size() - 1) {
          line.append(" ".repeat(widths[i] - cell.length())).append(GAP);
        }
      }
      sb.append(line.toString().stripTrailing()).append(System.lineSeparator());
    }
    return sb.toString();
  }

  static List<String> row(JsonNode wf, Instant now) {
    JsonNode meta = wf.path("metadata");
    JsonNode status = wf.path("status");
    Instant started = instant(status.path("startedAt").asString(""));
    Instant finished = instant(status.path("finishedAt").asString(""));
    return List.of(
        text(meta.path("name").asString("")),
        text(meta.path("namespace").asString("")),
        text(status.path("phase").asString("")),
        started == null ? "-" : Durations.humanize(Duration.between(started, now)),
        finished == null ? "-" : Durations.humanize(Duration.between(finished, now)),
        started == null || finished == null ? "-"
            : Durations.humanize(Duration.between(started, finished)),
        text(meta.path("uid").asString("")));
  }

  private static String text(String s) {
    return s.isEmpty() ? "-" : s;
  }

  private static Instant instant(String s) {
    if (s.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
