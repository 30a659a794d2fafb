package dev.archivist.bench.argo;

import java.time.Instant;
import tools.jackson.databind.node.ObjectNode;

/** Completed Argo workflows of a chosen size: the size is in {@code status.nodes}. */
final class BenchArgoWorkflows {
  private static final Instant BASE = Instant.parse("2025-06-01T00:00:00Z");

  private BenchArgoWorkflows() {}

  /**
   * Workflow {@code index} in {@code namespace}, completed (phase, finishedAt, the
   * {@code completed} label), about {@code bytes} of JSON; labelled {@code Pending} when
   * {@code pending}, as Argo's controller labels a completed workflow with its archive on.
   */
  static ObjectNode completed(String namespace, int index, int bytes, boolean pending) {
    ObjectNode wf = ArgoMemoryBench.JSON.createObjectNode();
    wf.put("apiVersion", "argoproj.io/v1alpha1");
    wf.put("kind", "Workflow");
    String name = String.format("mem-%06d", index);
    ObjectNode meta = wf.putObject("metadata");
    meta.put("name", name);
    meta.put("namespace", namespace);
    ObjectNode labels = meta.putObject("labels");
    labels.put("workflows.argoproj.io/completed", "true");
    labels.put("workflows.argoproj.io/phase", "Succeeded");
    if (pending) {
      labels.put("workflows.argoproj.io/workflow-archiving-status", "Pending");
    }
    ObjectNode spec = wf.putObject("spec");
    spec.put("entrypoint", "main");
    spec.putArray("templates").addObject().put("name", "main").putObject("container")
        .put("image", "alpine:3.23").putArray("command").add("true");
    ObjectNode status = wf.putObject("status");
    Instant started = BASE.plusSeconds(index);
    status.put("phase", "Succeeded");
    status.put("startedAt", started.toString());
    status.put("finishedAt", started.plusSeconds(30).toString());
    status.put("progress", "1/1");
    ObjectNode nodes = status.putObject("nodes");
    // Sizes are summed per node rather than by serializing the whole workflow again each time.
    long size = ArgoMemoryBench.JSON.writeValueAsString(wf).length();
    for (int node = 0; size < bytes; node++) {
      String id = name + "-" + (1_000_000_000L + node * 7919L);
      ObjectNode n = nodes.putObject(id).put("id", id).put("name", name + ".step-" + node)
          .put("displayName", "step-" + node).put("type", "Pod").put("phase", "Succeeded")
          .put("templateName", "main").put("startedAt", started.toString())
          .put("finishedAt", started.plusSeconds(20).toString()).put("progress", "1/1")
          .put("hostNodeName", "node-" + (node % 17)).put("message", "x".repeat(300));
      size += ArgoMemoryBench.JSON.writeValueAsString(n).length() + id.length() + 4;
    }
    return wf;
  }
}
