package dev.archivist.store;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/** Turns workflow objects into {@link WorkflowDocument}s. */
public final class WorkflowDocuments {
  private WorkflowDocuments() {}

  /**
   * Takes Argo's columns from a workflow, best-effort: a missing or unparseable timestamp falls
   * back (startedAt to creationTimestamp, then {@code now}; finishedAt to {@code now}), a missing
   * phase is empty. The stored JSON gets the archiving-status label {@code Persisted}.
   *
   * @throws MalformedWorkflowException when it cannot be archived at all (not an object, no
   *     {@code metadata.uid} or name), naming what is missing
   */
  public static WorkflowDocument fromWorkflow(JsonNode workflow, Instant now) {
    throw new MalformedWorkflowException("workflow documents are not built yet");
  }
}
