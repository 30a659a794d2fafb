package dev.archivist.controller;

import dev.archivist.core.WorkflowLabels;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Workflow objects for tests, shaped like Argo's. */
public final class TestWorkflows {
  public static final JsonMapper JSON = JsonMapper.builder().build();

  private TestWorkflows() {}

  /** A workflow that Succeeded, with the completed label and a small status. */
  public static ObjectNode completed(String ns, String name) {
    ObjectNode wf = base(ns, name, "Succeeded");
    labels(wf).put(WorkflowLabels.COMPLETED, "true");
    ObjectNode status = (ObjectNode) wf.get("status");
    status.put("startedAt", "2026-11-27T10:00:00Z");
    status.put("finishedAt", "2026-11-27T10:05:00Z");
    return wf;
  }

  /** A workflow still running: no completed label, no finishedAt. */
  public static ObjectNode running(String ns, String name) {
    ObjectNode wf = base(ns, name, "Running");
    labels(wf).put(WorkflowLabels.COMPLETED, "false");
    ((ObjectNode) wf.get("status")).put("startedAt", "2026-11-27T10:00:00Z");
    return wf;
  }

  public static ObjectNode labels(ObjectNode wf) {
    return (ObjectNode) wf.get("metadata").get("labels");
  }

  private static ObjectNode base(String ns, String name, String phase) {
    ObjectNode wf = JSON.createObjectNode();
    wf.put("apiVersion", "argoproj.io/v1alpha1");
    wf.put("kind", "Workflow");
    ObjectNode meta = wf.putObject("metadata");
    meta.put("name", name);
    meta.put("namespace", ns);
    meta.putObject("labels").put(WorkflowLabels.PHASE, phase);
    ObjectNode spec = wf.putObject("spec");
    spec.put("entrypoint", "main");
    spec.putArray("templates").addObject().put("name", "main")
        .putObject("container").put("image", "busybox");
    wf.putObject("status").put("phase", phase);
    return wf;
  }
}
