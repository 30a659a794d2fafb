package dev.archivist.store;

import dev.archivist.testing.WorkflowBuilder;
import java.time.Instant;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Realistic workflow objects, written by the tests themselves. */
final class TestWorkflows {
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private TestWorkflows() {}

  /** A completed workflow; {@code padBytes} of node status make it as large as wanted. */
  static ObjectNode workflow(String uid, String namespace, String name,
      Map<String, String> labels, Instant startedAt, int padBytes) {
    ObjectNode wf = WorkflowBuilder.finished(namespace, name, uid, "Succeeded", startedAt)
        .labels(labels).parameter("message", "hello " + name).message("done").build();
    ObjectNode nodes = ((ObjectNode) wf.get("status")).putObject("nodes");
    int i = 0;
    while (padBytes > 0) {
      ObjectNode n = nodes.putObject(name + "-" + i++);
      n.put("phase", "Succeeded");
      n.put("displayName", "step-" + i);
      String chunk = "x".repeat(Math.min(padBytes, 200));
      n.put("message", chunk);
      padBytes -= chunk.length() + 60;
    }
    return wf;
  }

  static WorkflowDocument document(String uid, String namespace, String name,
      Map<String, String> labels, Instant startedAt, int padBytes) {
    return WorkflowDocuments.fromWorkflow(
        workflow(uid, namespace, name, labels, startedAt, padBytes), NOW);
  }

  static WorkflowDocument document(String uid, Instant startedAt) {
    return document(uid, "ns", "wf-" + uid, Map.of(), startedAt, 0);
  }
}
