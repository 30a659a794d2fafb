package dev.archivist.bench.memory;

import dev.archivist.core.WorkflowLabels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Builds the versions of benchmark workflows: a running workflow at creation, {@code updates}
 * status updates that add nodes, and a completed version whose JSON is about {@code sizeBytes}.
 *
 * <p>The spec is a real Kubeflow Pipelines spec when one fits (the largest KFP fixture whose spec
 * takes at most 60% of the target size); otherwise a synthetic one. The rest of the size is a
 * realistic {@code status.nodes} map (one Pod node per step, with inputs, outputs, artifacts and
 * resource durations), because that is what makes real Argo workflows large. Each workflow's node
 * contents are drawn from its own seeded random, so two workflows share no strings.
 *
 * <p>Immutable after construction and thread-safe: {@link #version} only reads shared state.
 */
public final class WorkflowFactory {
  static final String[] NAMESPACES = {"team-a", "team-b", "team-c", "team-d"};

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final double SPEC_SHARE = 0.6;

  private final int updates;
  private final JsonNode spec;
  private final String specSource;
  private final int nodesAtCompletion;
  private final Instant epoch;

  public WorkflowFactory(int sizeBytes, int updates, Path kfpDir, Instant epoch) {
    this.updates = updates;
    this.epoch = epoch;
    Optional<Template> template = pickTemplate(kfpDir, (int) (sizeBytes * SPEC_SHARE));
    this.spec = template.map(Template::spec).orElseGet(WorkflowFactory::syntheticSpec);
    this.specSource = template.map(t -> "kfp/" + t.file()).orElse("synthetic");
    this.nodesAtCompletion = calibrateNodes(sizeBytes);
  }

  /** Where the spec came from: {@code kfp/<file>} or {@code synthetic}. */
  String specSource() {
    return specSource;
  }

  int nodesAtCompletion() {
    return nodesAtCompletion;
  }

  static String name(int index) {
    return String.format("membench-%06d", index);
  }

  static String namespace(int index) {
    return NAMESPACES[index % NAMESPACES.length];
  }

  /**
   * Version {@code step} of workflow {@code index}: 0 is the created (Running) workflow, 1 to
   * {@code updates} are status updates, and {@code updates + 1} is the completed workflow.
   */
  public ObjectNode version(int index, int step) {
    boolean completed = step == updates + 1;
    int nodes = completed ? nodesAtCompletion
        : (int) ((long) nodesAtCompletion * step / (updates + 1));
    String name = name(index);
    Instant started = epoch.plusSeconds(index % 3600);
    ObjectNode wf = JSON.createObjectNode();
    wf.put("apiVersion", WorkflowLabels.GROUP + "/" + WorkflowLabels.VERSION);
    wf.put("kind", WorkflowLabels.KIND);
    ObjectNode metadata = wf.putObject("metadata");
    metadata.put("name", name);
    metadata.put("namespace", namespace(index));
    ObjectNode labels = metadata.putObject("labels");
    labels.put("pipelines.kubeflow.org/v2_component", "true");
    labels.put("app.kubernetes.io/part-of", "membench");
    String phase = completed ? finalPhase(index) : "Running";
    labels.put(WorkflowLabels.PHASE, phase);
    if (completed) {
      labels.put(WorkflowLabels.COMPLETED, "true");
    }
    metadata.putObject("annotations")
        .put("workflows.argoproj.io/pod-name-format", "v2");
    wf.set("spec", spec);
    ObjectNode status = wf.putObject("status");
    status.put("phase", phase);
    status.put("startedAt", started.toString());
    if (completed) {
      status.put("finishedAt", started.plusSeconds(60 + index % 600).toString());
    }
    status.put("progress", (completed ? nodes : Math.max(0, nodes - 1)) + "/" + nodesAtCompletion);
    status.put("estimatedDuration", 600);
    SplittableRandom random = new SplittableRandom(index * 1_000_003L);
    ObjectNode nodeMap = status.putObject("nodes");
    for (int n = 0; n < nodes; n++) {
      boolean done = completed || n < nodes - 1;
      addNode(nodeMap, name, n, done ? "Succeeded" : "Running", started, random);
    }
    if (completed) {
      ObjectNode rd = status.putObject("resourcesDuration");
      rd.put("cpu", 10 + random.nextInt(5000));
      rd.put("memory", 10 + random.nextInt(50000));
      status.putObject("conditions");
    }
    return wf;
  }

  private static String finalPhase(int index) {
    int r = index % 50;
    return r == 0 ? "Error" : r < 5 ? "Failed" : "Succeeded";
  }

  private static void addNode(ObjectNode nodes, String wfName, int n, String phase,
      Instant started, SplittableRandom random) {
    String id = wfName + "-" + (1_000_000_000L + random.nextLong(8_999_999_999L));
    String step = "step-" + n;
    ObjectNode node = nodes.putObject(id);
    node.put("id", id);
    node.put("name", wfName + ".root.dag-driver(" + n + ")." + step);
    node.put("displayName", step);
    node.put("type", "Pod");
    node.put("templateName", n % 2 == 0 ? "system-container-executor" : "system-dag-driver");
    node.put("templateScope", "local/" + wfName);
    node.put("phase", phase);
    node.put("boundaryID", wfName + "-" + (1_000_000_000L + random.nextLong(8_999_999_999L)));
    Instant nodeStart = started.plusSeconds(n * 7L);
    node.put("startedAt", nodeStart.toString());
    if (!phase.equals("Running")) {
      node.put("finishedAt", nodeStart.plusSeconds(3 + random.nextInt(300)).toString());
    }
    node.put("progress", "1/1");
    node.put("hostNodeName", "gke-pool-" + random.nextInt(64) + "-" + hex(random, 8));
    ObjectNode rd = node.putObject("resourcesDuration");
    rd.put("cpu", random.nextInt(900));
    rd.put("memory", random.nextInt(9000));
    ArrayNode inParams = node.putObject("inputs").putArray("parameters");
    inParams.addObject().put("name", "pod-spec-patch")
        .put("value", "{\"containers\":[{\"name\":\"main\",\"image\":\"python:3.11\","
            + "\"command\":[\"python3\",\"-m\",\"kfp.dsl.executor_main\"],"
            + "\"args\":[\"--executor_input\",\"" + hex(random, 32) + "\"]}]}");
    inParams.addObject().put("name", "cached-decision").put("value", random.nextBoolean() + "");
    ObjectNode outputs = node.putObject("outputs");
    outputs.putArray("parameters").addObject().put("name", "execution-id")
        .put("value", Long.toString(random.nextLong(1L << 40)));
    outputs.putArray("artifacts").addObject().put("name", "main-logs")
        .putObject("s3").put("key", "artifacts/" + wfName + "/" + hex(random, 12)
            + "/main.log");
    outputs.put("exitCode", "0");
    if (n > 0) {
      node.putArray("children").add(wfName + "-" + hex(random, 10));
    }
  }

  private static String hex(SplittableRandom random, int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(Character.forDigit(random.nextInt(16), 16));
    }
    return sb.toString();
  }

  private int calibrateNodes(int sizeBytes) {
    // Grow the node count until the completed workflow reaches the target size; every node
    // adds a similar number of bytes, so estimate first, then correct.
    WorkflowFactory probe = this;
    int guess = 0;
    int base = sizeOf(probe.versionWithNodes(0, 0));
    int one = sizeOf(probe.versionWithNodes(0, 10)) - base;
    guess = Math.max(0, (int) ((sizeBytes - base) / (one / 10.0)));
    while (guess > 0 && sizeOf(versionWithNodes(0, guess)) > sizeBytes) {
      guess--;
    }
    while (sizeOf(versionWithNodes(0, guess + 1)) <= sizeBytes) {
      guess++;
    }
    return guess;
  }

  private ObjectNode versionWithNodes(int index, int nodes) {
    // Same shape as a completed version, with an explicit node count (calibration only).
    ObjectNode wf = versionTemplate(index);
    ObjectNode nodeMap = (ObjectNode) wf.path("status").path("nodes");
    SplittableRandom random = new SplittableRandom(index * 1_000_003L);
    for (int n = 0; n < nodes; n++) {
      addNode(nodeMap, name(index), n, "Succeeded", epoch, random);
    }
    return wf;
  }

  private ObjectNode versionTemplate(int index) {
    ObjectNode wf = JSON.createObjectNode();
    wf.put("apiVersion", WorkflowLabels.GROUP + "/" + WorkflowLabels.VERSION);
    wf.put("kind", WorkflowLabels.KIND);
    ObjectNode metadata = wf.putObject("metadata");
    metadata.put("name", name(index));
    metadata.put("namespace", namespace(index));
    // Room for what the API server and the generator add (uid, resourceVersion, labels).
    metadata.put("uid", "00000000-0000-0000-0000-000000000000");
    metadata.put("resourceVersion", "1234567");
    metadata.put("creationTimestamp", epoch.toString());
    metadata.put("generation", 1);
    ObjectNode labels = metadata.putObject("labels");
    labels.put("pipelines.kubeflow.org/v2_component", "true");
    labels.put("app.kubernetes.io/part-of", "membench");
    labels.put(WorkflowLabels.PHASE, "Succeeded");
    labels.put(WorkflowLabels.COMPLETED, "true");
    metadata.putObject("annotations").put("workflows.argoproj.io/pod-name-format", "v2");
    wf.set("spec", spec);
    ObjectNode status = wf.putObject("status");
    status.put("phase", "Succeeded");
    status.put("startedAt", epoch.toString());
    status.put("finishedAt", epoch.toString());
    status.put("progress", "100/100");
    status.put("estimatedDuration", 600);
    status.putObject("nodes");
    ObjectNode rd = status.putObject("resourcesDuration");
    rd.put("cpu", 1234);
    rd.put("memory", 12345);
    status.putObject("conditions");
    return wf;
  }

  static int sizeOf(JsonNode node) {
    return JSON.writeValueAsBytes(node).length;
  }

  static String toJson(JsonNode node) {
    return JSON.writeValueAsString(node);
  }

  private record Template(String file, JsonNode spec, int bytes) {}

  private static Optional<Template> pickTemplate(Path dir, int maxBytes) {
    if (dir == null || !Files.isDirectory(dir)) {
      return Optional.empty();
    }
    YAMLMapper yaml = YAMLMapper.builder().build();
    List<Template> fits = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        JsonNode wf;
        try {
          wf = yaml.readTree(f.toFile());
        } catch (RuntimeException e) {
          continue; // a file we cannot read is simply not a candidate template
        }
        JsonNode spec = wf.path("spec");
        if (spec.isObject()) {
          int bytes = sizeOf(spec);
          if (bytes <= maxBytes) {
            fits.add(new Template(f.getFileName().toString(), spec, bytes));
          }
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return fits.stream().max(Comparator.comparingInt(Template::bytes));
  }

  private static JsonNode syntheticSpec() {
    ObjectNode spec = JSON.createObjectNode();
    spec.put("entrypoint", "main");
    spec.put("serviceAccountName", "pipeline-runner");
    ArrayNode templates = spec.putArray("templates");
    for (int t = 0; t < 8; t++) {
      ObjectNode template = templates.addObject();
      template.put("name", "step-template-" + t);
      ObjectNode container = template.putObject("container");
      container.put("image", "python:3.11");
      container.putArray("command").add("sh").add("-c");
      container.putArray("args").add("pip install --quiet kfp==2.14.3 && python3 -m "
          + "kfp.dsl.executor_main --component_module_path /tmp/component_" + t + ".py");
      ObjectNode resources = container.putObject("resources");
      resources.putObject("requests").put("cpu", "500m").put("memory", "512Mi");
      template.putObject("inputs").putArray("parameters").addObject().put("name", "input-" + t);
    }
    ObjectNode dag = templates.addObject();
    dag.put("name", "main");
    ArrayNode tasks = dag.putObject("dag").putArray("tasks");
    for (int t = 0; t < 8; t++) {
      tasks.addObject().put("name", "task-" + t).put("template", "step-template-" + t);
    }
    return spec;
  }
}
