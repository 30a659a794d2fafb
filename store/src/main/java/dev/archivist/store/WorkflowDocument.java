package dev.archivist.store;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One workflow ready to be written: the columns Argo's table has, and the JSON to store (the whole
 * workflow, with the archiving-status label set to {@code Persisted}).
 *
 * <p>Build it with {@link WorkflowDocuments#fromWorkflow}, which takes the columns best-effort
 * from a workflow object and rejects, with a reason, what cannot be archived at all.
 */
public record WorkflowDocument(
    String uid,
    String name,
    String namespace,
    String phase,
    Instant startedAt,
    Instant finishedAt,
    Instant creationTimestamp,
    Map<String, String> labels,
    String json) {

  public WorkflowDocument {
    Objects.requireNonNull(uid, "uid");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(finishedAt, "finishedAt");
    Objects.requireNonNull(creationTimestamp, "creationTimestamp");
    labels = Map.copyOf(labels);
    Objects.requireNonNull(json, "json");
  }

  @Override
  public String toString() {
    return "WorkflowDocument[" + namespace + "/" + name + " uid=" + uid + " phase=" + phase
        + " bytes=" + json.length() + "]";
  }
}
