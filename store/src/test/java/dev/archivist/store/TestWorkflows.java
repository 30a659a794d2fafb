package dev.archivist.store;

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
    ObjectNode wf = JSON.createObjectNode();
    wf.put("apiVersion", "argoproj.io/v1alpha1");
    wf.put("kind", "Workflow");
    ObjectNode md = wf.putObject("metadata");
    md.put("name", name);
    md.put("namespace", namespace);
    md.put("uid", uid);
    md.put("creationTimestamp", startedAt.minusSeconds(5).toString());
    ObjectNode l = md.putObject("labels");
    l.put("workflows.argoproj.io/completed", "true");
    l.put("workflows.argoproj.io/phase", "Succeeded");
    labels.forEach(l::put);
    md.putObject("annotations").put("example.com/owner", "team-" + namespace);
    ObjectNode spec = wf.putObject("spec");
    spec.put("entrypoint", "main");
    spec.putObject("arguments").putArray("parameters").addObject()
        .put("name", "message").put("value", "hello " + name);
    ObjectNode status = wf.putObject("status");
    status.put("phase", "Succeeded");
    status.put("startedAt", startedAt.toString());
    status.put("finishedAt", startedAt.plusSeconds(60).toString());
    status.put("progress", "1/1");
    status.put("message", "done");
    ObjectNode nodes = status.putObject("nodes");
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
