package dev.archivist.server.ui;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Completed Argo workflows shaped like a real cluster's: generated names, a few namespaces and
 * teams, mostly Succeeded with some Failed and Error, parameters, annotations, and a
 * {@code status.nodes} DAG whose root node's id is the workflow's name, with retries and failure
 * messages. Deterministic for a seed; newest first is index 0.
 */
final class SampleWorkflows {
  static final List<String> NAMESPACES = List.of("ci", "data-eng", "ml-training", "default");
  private static final List<String> TEAMS = List.of("platform", "data", "ml", "web");
  private static final List<String> TEMPLATES =
      List.of("build-and-test", "nightly-etl", "train-model", "publish-report", "db-backup");
  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  private final JsonMapper json = JsonMapper.builder().build();
  private final Random random;
  private final Instant newest;

  SampleWorkflows(long seed, Instant newest) {
    this.random = new Random(seed);
    this.newest = newest;
  }

  /** {@code count} workflows, the i-th started {@code i * spacing} before {@code newest}. */
  List<ObjectNode> generate(int count, Duration spacing, int maxTasks) {
    List<ObjectNode> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(workflow(i, newest.minus(spacing.multipliedBy(i)), maxTasks));
    }
    return out;
  }

  ObjectNode workflow(int index, Instant started, int maxTasks) {
    String template = TEMPLATES.get(index % TEMPLATES.size());
    String name = template + "-" + suffix(5);
    String namespace = NAMESPACES.get(random.nextInt(NAMESPACES.size()));
    String team = TEAMS.get(random.nextInt(TEAMS.size()));
    int roll = random.nextInt(100);
    String phase = roll < 62 ? "Succeeded" : roll < 88 ? "Failed" : "Error";
    long seconds = 20 + random.nextInt(3600);
    Instant finished = started.plusSeconds(seconds);

    ObjectNode wf = json.createObjectNode();
    wf.put("apiVersion", "argoproj.io/v1alpha1");
    wf.put("kind", "Workflow");
    ObjectNode md = wf.putObject("metadata");
    md.put("name", name);
    md.put("generateName", template + "-");
    md.put("namespace", namespace);
    md.put("uid", uid(index));
    md.put("resourceVersion", Integer.toString(100_000 + index));
    md.put("creationTimestamp", started.toString());
    ObjectNode labels = md.putObject("labels");
    labels.put("workflows.argoproj.io/completed", "true");
    labels.put("workflows.argoproj.io/phase", phase);
    labels.put("workflows.argoproj.io/workflow-template", template);
    labels.put("team", team);
    labels.put("env", random.nextInt(3) == 0 ? "staging" : "prod");
    if (index % 4 == 0) {
      labels.put("workflows.argoproj.io/cron-workflow", template + "-cron");
    }
    ObjectNode annotations = md.putObject("annotations");
    annotations.put("workflows.argoproj.io/pod-name-format", "v2");
    annotations.put("example.com/owner", team + "-oncall@example.com");

    ObjectNode spec = wf.putObject("spec");
    spec.put("entrypoint", "main");
    spec.putObject("workflowTemplateRef").put("name", template);
    ArrayNode params = spec.putObject("arguments").putArray("parameters");
    params.addObject().put("name", "git-revision").put("value", suffix(10));
    params.addObject().put("name", "image")
        .put("value", "registry.example.com/" + template + ":1." + (index % 17));
    if (index % 3 == 0) {
      params.addObject().put("name", "config")
          .put("value", "{\"retries\": 2,\n \"dryRun\": false}");
    }

    ObjectNode status = wf.putObject("status");
    status.put("phase", phase);
    status.put("startedAt", started.toString());
    status.put("finishedAt", finished.toString());
    int tasks = 2 + random.nextInt(Math.max(1, maxTasks - 1));
    status.put("progress", (phase.equals("Succeeded") ? tasks : tasks - 1) + "/" + tasks);
    if (!phase.equals("Succeeded")) {
      status.put("message", phase.equals("Error")
          ? "pod deleted during operation"
          : "child '" + name + "-step-" + (tasks - 1) + "' failed");
    }
    status.set("nodes", nodes(name, phase, started, finished, tasks));
    return wf;
  }

  /** A DAG root (id = workflow name) over {@code tasks} steps; the last one carries the failure. */
  private ObjectNode nodes(String name, String phase, Instant started, Instant finished,
      int tasks) {
    ObjectNode nodes = json.createObjectNode();
    ObjectNode root = node(nodes, name, name, name, "DAG", phase, started, finished);
    root.put("templateName", "main");
    ArrayNode rootChildren = root.putArray("children");
    long slice = Math.max(1, Duration.between(started, finished).toSeconds() / tasks);
    for (int t = 0; t < tasks; t++) {
      String stepPhase = t == tasks - 1 ? phase : "Succeeded";
      Instant s = started.plusSeconds(slice * t);
      Instant f = t == tasks - 1 ? finished : s.plusSeconds(slice);
      String id = name + "-" + (1_000_000_000L + (long) t * 7919);
      String display = "step-" + t;
      rootChildren.add(id);
      boolean retried = t == tasks - 1 && !phase.equals("Succeeded") && tasks % 2 == 0;
      if (retried) {
        ObjectNode retry = node(nodes, id, name + "." + display, display, "Retry", stepPhase, s, f);
        retry.put("message", "No more retries left");
        ArrayNode attempts = retry.putArray("children");
        for (int a = 0; a < 2; a++) {
          String attemptId = id + "-" + a;
          attempts.add(attemptId);
          ObjectNode pod = node(nodes, attemptId, name + "." + display + "(" + a + ")",
              display + "(" + a + ")", "Pod", stepPhase, s, f);
          pod.put("message", "Error (exit code 1): tests failed");
          pod.put("templateName", "run");
        }
      } else {
        ObjectNode pod = node(nodes, id, name + "." + display, display, "Pod", stepPhase, s, f);
        pod.put("templateName", "run");
        if (!stepPhase.equals("Succeeded")) {
          pod.put("message", stepPhase.equals("Error") ? "pod deleted" : "Error (exit code 2)");
        }
      }
    }
    return nodes;
  }

  private static ObjectNode node(ObjectNode nodes, String id, String name, String display,
      String type, String phase, Instant started, Instant finished) {
    ObjectNode n = nodes.putObject(id);
    n.put("id", id);
    n.put("name", name);
    n.put("displayName", display);
    n.put("type", type);
    n.put("phase", phase);
    n.put("startedAt", started.toString());
    n.put("finishedAt", finished.toString());
    return n;
  }

  private String suffix(int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }

  private String uid(int index) {
    return String.format("%08x-%04x-4%03x-8%03x-%012x", random.nextInt() & 0x7fffffff,
        random.nextInt(0x10000), random.nextInt(0x1000), random.nextInt(0x1000), (long) index);
  }
}
