package dev.archivist.store;

import dev.archivist.core.WorkflowLabels;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Turns workflow objects into {@link WorkflowDocument}s. */
public final class WorkflowDocuments {
  /** Thread-safe once built; shared because building one is expensive. */
  static final JsonMapper JSON = JsonMapper.builder().build();

  private WorkflowDocuments() {}

  /**
   * Takes Argo's columns from a workflow, best-effort: a missing or unparseable timestamp falls
   * back (startedAt to creationTimestamp, then {@code now}; finishedAt to {@code now};
   * creationTimestamp to startedAt), a missing status or phase is an empty phase. The stored JSON
   * is a copy of the workflow with the archiving-status label set to {@code Persisted}, and so are
   * the labels, and without {@code metadata.managedFields}; {@code workflow} itself is not
   * modified.
   *
   * @param now the time to fall back to; pass the caller's clock, so that tests are deterministic
   * @throws MalformedWorkflowException when it cannot be archived at all, naming what is wrong:
   *     not an object, no {@code metadata} object, no {@code metadata.uid} or
   *     {@code metadata.name}, a {@code status} or {@code metadata.labels} that is not an object,
   *     or a label value that is not a string (Argo could not read such a row back)
   */
  public static WorkflowDocument fromWorkflow(JsonNode workflow, Instant now) {
    Objects.requireNonNull(now, "now");
    if (workflow == null || !workflow.isObject()) {
      throw new MalformedWorkflowException("workflow is not a JSON object but "
          + (workflow == null ? "null" : workflow.getNodeType()));
    }
    JsonNode metadata = workflow.get("metadata");
    if (metadata == null || !metadata.isObject()) {
      throw new MalformedWorkflowException("workflow has no metadata object");
    }
    String uid = requiredString(metadata, "uid", null);
    String name = requiredString(metadata, "name", uid);
    String namespace = optionalString(metadata, "namespace", uid);

    JsonNode status = workflow.get("status");
    if (status != null && !status.isNull() && !status.isObject()) {
      throw new MalformedWorkflowException("workflow " + uid + ": status is a "
          + status.getNodeType() + ", expected an object");
    }
    String phase = status == null || status.isNull() ? "" : optionalString(status, "phase", uid);

    Instant created = timestamp(metadata, "creationTimestamp");
    Instant started = timestamp(status, "startedAt");
    Instant finished = timestamp(status, "finishedAt");
    if (started == null) {
      started = created != null ? created : now;
    }
    if (finished == null) {
      finished = now;
    }
    if (created == null) {
      created = started;
    }

    ObjectNode copy = (ObjectNode) workflow.deepCopy();
    ObjectNode meta = (ObjectNode) copy.get("metadata");
    meta.remove("managedFields"); // Argo's informer drops it, so Argo's rows never have it
    JsonNode labelsNode = meta.get("labels");
    if (labelsNode != null && !labelsNode.isNull() && !labelsNode.isObject()) {
      throw new MalformedWorkflowException("workflow " + uid + ": metadata.labels is a "
          + labelsNode.getNodeType() + ", expected an object");
    }
    ObjectNode labelsObject = labelsNode == null || labelsNode.isNull()
        ? meta.putObject("labels") : (ObjectNode) labelsNode;
    labelsObject.put(WorkflowLabels.ARCHIVING_STATUS, WorkflowLabels.STATUS_PERSISTED);
    Map<String, String> labels = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : labelsObject.properties()) {
      if (!e.getValue().isString()) {
        throw new MalformedWorkflowException("workflow " + uid + ": label " + e.getKey()
            + " is a " + e.getValue().getNodeType() + ", expected a string");
      }
      labels.put(e.getKey(), e.getValue().stringValue());
    }
    String json = JSON.writeValueAsString(copy);
    return new WorkflowDocument(uid, name, namespace, phase, started, finished, created, labels,
        json);
  }

  private static String requiredString(JsonNode metadata, String field, String uid) {
    JsonNode n = metadata.get(field);
    if (n == null || !n.isString() || n.stringValue().isEmpty()) {
      throw new MalformedWorkflowException("workflow " + (uid == null ? "" : uid + " ")
          + "has no metadata." + field
          + (n == null || n.isNull() ? "" : " string (found a " + n.getNodeType() + ")"));
    }
    return n.stringValue();
  }

  private static String optionalString(JsonNode parent, String field, String uid) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      return "";
    }
    if (!n.isString()) {
      throw new MalformedWorkflowException("workflow " + uid + ": " + field + " is a "
          + n.getNodeType() + ", expected a string");
    }
    return n.stringValue();
  }

  /** An RFC 3339 timestamp, or null when absent, empty or unparseable (best-effort). */
  private static Instant timestamp(JsonNode parent, String field) {
    if (parent == null || !parent.isObject()) {
      return null;
    }
    JsonNode n = parent.get(field);
    if (n == null || !n.isString() || n.stringValue().isBlank()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(n.stringValue()).toInstant();
    } catch (DateTimeParseException e) {
      return null; // best-effort by contract: the caller's fallback applies
    }
  }
}
