package dev.archivist.bench.store;

import dev.archivist.store.WorkflowDocument;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Completed workflows of a chosen size, made from one template so that generating row {@code i}
 * costs a string copy: the benchmarks measure writing, not JSON building. Each row has its own
 * uid, name, namespace, times and seven realistic labels.
 */
final class SyntheticWorkflows {
  static final Instant EPOCH = Instant.parse("2025-01-01T00:00:00Z");
  private static final String[] PHASES = {"Succeeded", "Succeeded", "Succeeded", "Failed",
      "Error"};

  private final String head;
  /** The node statuses and the closing braces of status and workflow. */
  private final String nodesTail;

  SyntheticWorkflows(int sizeBytes) {
    StringBuilder nodes = new StringBuilder();
    int n = 0;
    // Node statuses are the bulk of a real workflow; pad with them to the wanted size.
    while (nodes.length() < Math.max(0, sizeBytes - 1100)) {
      nodes.append(n == 0 ? "" : ",").append("\"node-").append(n).append("\":{\"id\":\"node-")
          .append(n).append("\",\"name\":\"main.step-").append(n).append("\",\"displayName\":"
              + "\"step-").append(n).append("\",\"type\":\"Pod\",\"templateName\":\"run\","
              + "\"phase\":\"Succeeded\",\"startedAt\":\"2025-01-01T00:00:00Z\",\"finishedAt\":"
              + "\"2025-01-01T00:00:30Z\",\"progress\":\"1/1\",\"resourcesDuration\":{\"cpu\":3,"
              + "\"memory\":12},\"outputs\":{\"exitCode\":\"0\"}}");
      n++;
    }
    this.head = "{\"apiVersion\":\"argoproj.io/v1alpha1\",\"kind\":\"Workflow\",\"metadata\":";
    this.nodesTail = "\"nodes\":{" + nodes + "}}}";
  }

  static String uid(int i) {
    String h = String.format("%032x", (long) i * 0x9E3779B97F4A7C15L & Long.MAX_VALUE);
    return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-"
        + h.substring(16, 20) + "-" + String.format("%012d", i);
  }

  static Map<String, String> labels(int i, String phase) {
    Map<String, String> l = new LinkedHashMap<>();
    l.put("workflows.argoproj.io/completed", "true");
    l.put("workflows.argoproj.io/phase", phase);
    l.put("workflows.argoproj.io/workflow-archiving-status", "Persisted");
    l.put("workflows.argoproj.io/workflow-template", "tmpl-" + (i % 40));
    l.put("app", "app-" + (i % 50));
    l.put("team", "team-" + (i % 10));
    l.put("env", i % 3 == 0 ? "prod" : i % 3 == 1 ? "staging" : "dev");
    return l;
  }

  WorkflowDocument document(int i) {
    String uid = uid(i);
    String name = "wf-" + i;
    String namespace = "ns-" + (i % 20);
    String phase = PHASES[i % PHASES.length];
    Instant started = EPOCH.plusSeconds(20L * i);
    Instant finished = started.plusSeconds(30 + i % 600);
    Instant created = started.minusSeconds(2);
    Map<String, String> labels = labels(i, phase);
    StringBuilder json = new StringBuilder(head.length() + nodesTail.length() + 1500);
    json.append(head).append("{\"name\":\"").append(name).append("\",\"namespace\":\"")
        .append(namespace).append("\",\"uid\":\"").append(uid)
        .append("\",\"creationTimestamp\":\"").append(created).append("\",\"labels\":{");
    boolean first = true;
    for (Map.Entry<String, String> e : labels.entrySet()) {
      json.append(first ? "" : ",").append('"').append(e.getKey()).append("\":\"")
          .append(e.getValue()).append('"');
      first = false;
    }
    json.append("},\"annotations\":{\"workflows.argoproj.io/pod-name-format\":\"v2\"}},")
        .append("\"spec\":{\"entrypoint\":\"main\",\"arguments\":{\"parameters\":[{\"name\":")
        .append("\"run\",\"value\":\"").append(i).append("\"}]}}");
    json.append(",\"status\":{\"phase\":\"").append(phase).append("\",\"startedAt\":\"")
        .append(started).append("\",\"finishedAt\":\"").append(finished)
        .append("\",\"progress\":\"3/3\",").append(nodesTail);
    return new WorkflowDocument(uid, name, namespace, phase, started, finished, created, labels,
        json.toString());
  }
}
