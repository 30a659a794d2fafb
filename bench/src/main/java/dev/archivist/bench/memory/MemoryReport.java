package dev.archivist.bench.memory;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns results into the benchmark's text outputs: {@code memory.csv}, {@code memory.json} and the
 * markdown table. Pure functions of their inputs.
 */
final class MemoryReport {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private MemoryReport() {}

  /**
   * {@code mode,t,heap_after_gc,backlog,archived,pending_events}, one row per sample; the last
   * column is empty where a mode does not report it.
   */
  static String csv(List<ModeResult> results) {
    StringBuilder sb = new StringBuilder(
        "mode,t,heap_after_gc,backlog,archived,pending_events\n");
    for (ModeResult r : results) {
      for (Sample s : r.samples()) {
        sb.append(r.mode().label()).append(',')
            .append(String.format(Locale.ROOT, "%.3f", s.seconds())).append(',')
            .append(s.heapAfterGc()).append(',')
            .append(s.backlog()).append(',')
            .append(s.archived()).append(',')
            .append(s.pendingEvents() >= 0 ? Long.toString(s.pendingEvents()) : "")
            .append('\n');
      }
    }
    return sb.toString();
  }

  static String json(Map<String, Object> settings, Map<String, Object> machine,
      List<ModeResult> results, int sizeBytes) {
    ObjectNode root = JSON.createObjectNode();
    root.put("benchmark", "memory");
    root.set("settings", JSON.valueToTree(settings));
    root.set("machine", JSON.valueToTree(machine));
    ArrayNode modes = root.putArray("modes");
    for (ModeResult r : results) {
      ObjectNode m = modes.addObject();
      m.put("mode", r.mode().label());
      m.put("outcome", r.outcome());
      m.put("detail", r.detail());
      m.put("peak_heap_after_gc_bytes", r.peakHeapAfterGc());
      putNumber(m, "slope_bytes_per_backlog_workflow", r.fit().slope());
      putNumber(m, "slope_per_workflow_size", r.fit().slope() / sizeBytes);
      putNumber(m, "intercept_bytes", r.fit().intercept());
      putNumber(m, "r2", r.fit().r2());
      m.put("samples", r.fit().n());
      putNumber(m, "slope_while_draining_bytes_per_backlog_workflow", r.drainFit().slope());
      putNumber(m, "r2_while_draining", r.drainFit().r2());
      m.put("samples_while_draining", r.drainFit().n());
      if (r.eventFit().n() > 0) {
        putNumber(m, "slope_bytes_per_pending_event", r.eventFit().slope());
        putNumber(m, "r2_pending_events", r.eventFit().r2());
        m.put("max_pending_events", r.samples().stream().mapToLong(Sample::pendingEvents).max()
            .orElse(0));
      }
      m.put("max_backlog", r.maxBacklog());
      m.put("oom", r.oom());
      putNumber(m, "oom_at_seconds", r.oomSeconds());
      if (r.oom()) {
        m.put("oom_backlog", r.oomBacklog());
      } else {
        m.putNull("oom_backlog");
      }
      m.put("expected", r.expected());
      m.put("archived", r.archived());
      m.put("distinct_uids", r.distinctUids());
      m.put("every_workflow_archived_once", r.complete());
      putNumber(m, "generate_seconds", r.generateSeconds());
      putNumber(m, "drain_seconds", r.drainSeconds());
    }
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
  }

  private static void putNumber(ObjectNode node, String field, double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      node.putNull(field);
    } else {
      node.put(field, Math.round(value * 1000) / 1000.0);
    }
  }

  /** The table printed to stdout and pasted into docs/benchmarks.md. */
  static String markdown(List<ModeResult> results, int sizeBytes) {
    StringBuilder sb = new StringBuilder();
    sb.append("| mode | peak heap after GC | slope per backlog workflow | slope / S"
        + " | slope while draining | slope per pending event | max backlog | out of memory"
        + " | archived (distinct) / expected | drain time |\n");
    sb.append("|---|---:|---:|---:|---:|---:|---:|---|---:|---:|\n");
    for (ModeResult r : results) {
      double slope = r.fit().slope();
      sb.append("| ").append(r.mode().label())
          .append(" | ").append(ModeRun.mib(r.peakHeapAfterGc()))
          .append(" | ").append(Double.isNaN(slope) ? "n/a" : bytes(slope))
          .append(" | ").append(Double.isNaN(slope) ? "n/a"
              : String.format(Locale.ROOT, "%.2f", slope / sizeBytes))
          .append(" | ").append(r.drainFit().n() < 2 || Double.isNaN(r.drainFit().slope())
              ? "n/a" : bytes(r.drainFit().slope()))
          .append(" | ").append(r.eventFit().n() == 0 || Double.isNaN(r.eventFit().slope())
              ? "n/a" : bytes(r.eventFit().slope()))
          .append(" | ").append(r.maxBacklog())
          .append(" | ").append(r.oom()
              ? String.format(Locale.ROOT, "yes, at %.0f s (backlog %d)", r.oomSeconds(),
                  r.oomBacklog())
              : r.outcome().equals("drained") || r.outcome().equals("stopped") ? "no"
                  : r.outcome() + ": " + r.detail())
          .append(" | ").append(r.archived()).append(" (").append(r.distinctUids())
          .append(") / ").append(r.expected())
          .append(" | ").append(r.outcome().equals("stopped")
              ? String.format(Locale.ROOT, "stopped at %.0f s", r.samples().isEmpty() ? 0
                  : r.samples().get(r.samples().size() - 1).seconds())
              : Double.isNaN(r.drainSeconds()) ? "not drained"
              : String.format(Locale.ROOT, "%.0f s", r.drainSeconds()))
          .append(" |\n");
    }
    return sb.toString();
  }

  static String bytes(double b) {
    double abs = Math.abs(b);
    if (abs >= 1048576) {
      return String.format(Locale.ROOT, "%.2f MiB", b / 1048576);
    }
    if (abs >= 1024) {
      return String.format(Locale.ROOT, "%.1f KiB", b / 1024);
    }
    return String.format(Locale.ROOT, "%.0f B", b);
  }
}
