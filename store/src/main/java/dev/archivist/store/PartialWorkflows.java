package dev.archivist.store;

import dev.archivist.core.WorkflowLabels;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds list items shaped as Argo's archive list returns them: metadata (name, namespace, uid,
 * creationTimestamp, labels with the archiving status forced to {@code Persisted}, annotations),
 * {@code spec.arguments} and {@code spec.suspend}, and status (phase, startedAt, finishedAt,
 * progress, message, estimatedDuration, resourcesDuration). Empty values are left out, as Argo's
 * Go types leave them out.
 */
final class PartialWorkflows {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private PartialWorkflows() {}

  /** Reads one row of {@link ListQueries#page}. */
  static ObjectNode fromRow(ResultSet rs) throws SQLException {
    ObjectNode item = NODES.objectNode();
    ObjectNode metadata = item.putObject("metadata");
    metadata.put("name", rs.getString(2));
    metadata.put("namespace", rs.getString(3));
    metadata.put("uid", rs.getString(1));
    Instant created = instant(rs, 7);
    if (created != null) {
      metadata.put("creationTimestamp", rfc3339(created));
    }
    JsonNode[] fragments = fragments(rs, 8, 5);
    JsonNode labels = fragments[0];
    ObjectNode labelsObject = labels instanceof ObjectNode o ? o : NODES.objectNode();
    labelsObject.put(WorkflowLabels.ARCHIVING_STATUS, WorkflowLabels.STATUS_PERSISTED);
    metadata.set("labels", labelsObject);
    JsonNode annotations = fragments[1];
    if (annotations instanceof ObjectNode o && !o.isEmpty()) {
      metadata.set("annotations", o);
    }
    ObjectNode spec = item.putObject("spec");
    JsonNode arguments = fragments[2];
    spec.set("arguments", arguments instanceof ObjectNode ? arguments : NODES.objectNode());
    JsonNode suspend = json(rs.getString(13));
    if (suspend != null && suspend.isBoolean()) {
      spec.set("suspend", suspend);
    }
    ObjectNode status = item.putObject("status");
    status.put("phase", rs.getString(4));
    status.put("startedAt", rfc3339(instant(rs, 5)));
    status.put("finishedAt", rfc3339(instant(rs, 6)));
    JsonNode progress = fragments[3];
    if (progress != null && progress.isString() && !progress.stringValue().isEmpty()) {
      status.set("progress", progress);
    }
    JsonNode message = fragments[4];
    if (message != null && message.isString() && !message.stringValue().isEmpty()) {
      status.set("message", message);
    }
    JsonNode estimated = json(rs.getString(14));
    if (estimated != null && estimated.isIntegralNumber() && estimated.longValue() != 0) {
      status.set("estimatedDuration", estimated);
    }
    JsonNode resources = json(rs.getString(15));
    if (resources instanceof ObjectNode o && !o.isEmpty()) {
      status.set("resourcesDuration", o);
    }
    return item;
  }

  static Instant instant(ResultSet rs, int column) throws SQLException {
    LocalDateTime t = rs.getObject(column, LocalDateTime.class);
    return t == null ? null : t.toInstant(ZoneOffset.UTC);
  }

  /** Kubernetes' metav1.Time format: UTC, whole seconds. */
  static String rfc3339(Instant t) {
    return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
  }

  /**
   * The JSON fragments in {@code count} columns from {@code first}, each null when its column
   * is SQL NULL or not JSON. They are read with one parse, as the elements of one array: most
   * are a few bytes, and setting up a parse costs more than reading them. Only when that fails
   * (a fragment is not JSON) is each read alone.
   */
  private static JsonNode[] fragments(ResultSet rs, int first, int count) throws SQLException {
    String[] texts = new String[count];
    StringBuilder array = new StringBuilder(512).append('[');
    for (int i = 0; i < count; i++) {
      texts[i] = rs.getString(first + i);
      array.append(i == 0 ? "" : ",").append(texts[i] == null ? "null" : texts[i]);
    }
    JsonNode[] nodes = new JsonNode[count];
    JsonNode all = json(array.append(']').toString());
    if (all != null && all.isArray() && all.size() == count) {
      for (int i = 0; i < count; i++) {
        nodes[i] = texts[i] == null ? null : all.get(i);
      }
      return nodes;
    }
    for (int i = 0; i < count; i++) {
      nodes[i] = json(texts[i]);
    }
    return nodes;
  }

  private static JsonNode json(String text) {
    if (text == null) {
      return null;
    }
    try {
      return WorkflowDocuments.JSON.readTree(text);
    } catch (JacksonException e) {
      return null; // a fragment we cannot read is left out of the partial item, never fatal
    }
  }
}
