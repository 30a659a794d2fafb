package dev.archivist.testing;

import dev.archivist.core.WorkflowLabels;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Argo Workflow objects for tests, shaped as the Kubernetes API returns them: only the parts a
 * test asks for, in Argo's field order ({@code metadata}, {@code spec}, {@code status}). Each
 * module's tests keep their own presets on top of it (a completed workflow, a padded one); what
 * is particular to one module, such as a status's nodes, the caller adds to what
 * {@link #build()} returns.
 */
public final class WorkflowBuilder {
  private final String namespace;
  private final String name;
  private String uid;
  private Instant createdAt;
  private final Map<String, String> labels = new LinkedHashMap<>();
  private final Map<String, String> annotations = new LinkedHashMap<>();
  private final Map<String, String> parameters = new LinkedHashMap<>();
  private String image;
  private String phase;
  private Instant startedAt;
  private Instant finishedAt;
  private String progress;
  private String message;

  private WorkflowBuilder(String namespace, String name) {
    this.namespace = namespace;
    this.name = name;
  }

  /** A workflow with only its kind, name and namespace, and {@code spec.entrypoint: main}. */
  public static WorkflowBuilder workflow(String namespace, String name) {
    return new WorkflowBuilder(namespace, name);
  }

  /**
   * A workflow as it stands once Argo has finished it: uid, creation five seconds before
   * {@code startedAt}, the completed and phase labels, an owner annotation, and a status that
   * ran one step for a minute.
   */
  public static WorkflowBuilder finished(String namespace, String name, String uid,
      String phase, Instant startedAt) {
    return workflow(namespace, name).uid(uid).createdAt(startedAt.minusSeconds(5))
        .completed(true).phase(phase).annotation("example.com/owner", "team-" + namespace)
        .startedAt(startedAt).finishedAt(startedAt.plusSeconds(60)).progress("1/1");
  }

  public WorkflowBuilder uid(String value) {
    this.uid = value;
    return this;
  }

  public WorkflowBuilder createdAt(Instant value) {
    this.createdAt = value;
    return this;
  }

  /** Labels stand in the order they are set; setting one again keeps its place. */
  public WorkflowBuilder label(String key, String value) {
    labels.put(key, value);
    return this;
  }

  public WorkflowBuilder labels(Map<String, String> values) {
    labels.putAll(values);
    return this;
  }

  /** The {@value WorkflowLabels#COMPLETED} label, as Argo sets it. */
  public WorkflowBuilder completed(boolean value) {
    return label(WorkflowLabels.COMPLETED, Boolean.toString(value));
  }

  /** The phase, both in {@code status.phase} and in the {@value WorkflowLabels#PHASE} label. */
  public WorkflowBuilder phase(String value) {
    this.phase = value;
    return label(WorkflowLabels.PHASE, value);
  }

  public WorkflowBuilder annotation(String key, String value) {
    annotations.put(key, value);
    return this;
  }

  /** A parameter under {@code spec.arguments.parameters}. */
  public WorkflowBuilder parameter(String parameter, String value) {
    parameters.put(parameter, value);
    return this;
  }

  /** The entrypoint template {@code main}, running one container of {@code value}. */
  public WorkflowBuilder image(String value) {
    this.image = value;
    return this;
  }

  public WorkflowBuilder startedAt(Instant value) {
    this.startedAt = value;
    return this;
  }

  public WorkflowBuilder finishedAt(Instant value) {
    this.finishedAt = value;
    return this;
  }

  public WorkflowBuilder progress(String value) {
    this.progress = value;
    return this;
  }

  public WorkflowBuilder message(String value) {
    this.message = value;
    return this;
  }

  /** A new object each call; the caller may change it. */
  public ObjectNode build() {
    ObjectNode wf = JsonNodeFactory.instance.objectNode();
    wf.put("apiVersion", "argoproj.io/v1alpha1");
    wf.put("kind", "Workflow");
    ObjectNode metadata = wf.putObject("metadata");
    metadata.put("name", name);
    metadata.put("namespace", namespace);
    putIfSet(metadata, "uid", uid);
    putIfSet(metadata, "creationTimestamp", createdAt);
    putAll(metadata, "labels", labels);
    putAll(metadata, "annotations", annotations);
    ObjectNode spec = wf.putObject("spec");
    spec.put("entrypoint", "main");
    if (!parameters.isEmpty()) {
      var list = spec.putObject("arguments").putArray("parameters");
      parameters.forEach((k, v) -> list.addObject().put("name", k).put("value", v));
    }
    if (image != null) {
      spec.putArray("templates").addObject().put("name", "main")
          .putObject("container").put("image", image);
    }
    if (phase != null || startedAt != null) {
      ObjectNode status = wf.putObject("status");
      putIfSet(status, "phase", phase);
      putIfSet(status, "startedAt", startedAt);
      putIfSet(status, "finishedAt", finishedAt);
      putIfSet(status, "progress", progress);
      putIfSet(status, "message", message);
    }
    return wf;
  }

  private static void putIfSet(ObjectNode node, String field, Object value) {
    if (value != null) {
      node.put(field, value.toString());
    }
  }

  private static void putAll(ObjectNode node, String field, Map<String, String> values) {
    if (!values.isEmpty()) {
      ObjectNode child = node.putObject(field);
      values.forEach(child::put);
    }
  }
}
