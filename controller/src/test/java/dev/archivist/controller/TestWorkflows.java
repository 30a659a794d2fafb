package dev.archivist.controller;

import dev.archivist.testing.WorkflowBuilder;
import java.time.Instant;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Workflow objects for tests, shaped like Argo's. */
public final class TestWorkflows {
  public static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Instant STARTED = Instant.parse("2026-11-27T10:00:00Z");

  private TestWorkflows() {}

  /** A workflow that Succeeded, with the completed label and a small status. */
  public static ObjectNode completed(String ns, String name) {
    return WorkflowBuilder.workflow(ns, name).phase("Succeeded").completed(true)
        .image("busybox").startedAt(STARTED).finishedAt(STARTED.plusSeconds(300)).build();
  }

  /** A workflow still running: its completed label false, no finishedAt. */
  public static ObjectNode running(String ns, String name) {
    return WorkflowBuilder.workflow(ns, name).phase("Running").completed(false)
        .image("busybox").startedAt(STARTED).build();
  }

  public static ObjectNode labels(ObjectNode wf) {
    return (ObjectNode) wf.get("metadata").get("labels");
  }
}
