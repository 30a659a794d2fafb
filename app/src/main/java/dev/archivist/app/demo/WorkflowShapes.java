package dev.archivist.app.demo;

import dev.archivist.core.WorkflowLabels;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds Argo {@code Workflow} objects shaped like real ones (after the fixtures of Argo's own
 * tests and Kubeflow Pipelines' compiled workflows): a spec of templates (DAG, steps, containers
 * and scripts with embedded source), arguments with escaped JSON, and a status whose
 * {@code nodes} map grows as the workflow runs, with phases, timestamps, durations and
 * parameters. The node count sets the size.
 *
 * <p>Pure functions of a {@link Plan} and the time given; no I/O, no shared state.
 */
final class WorkflowShapes {
  /** The namespaces the demo spreads workflows over. */
  static final List<String> NAMESPACES = List.of("argo", "ml-pipelines", "data-eng", "ci");

  /** Roughly the JSON bytes one status node adds; used to reach a target size. */
  static final int BYTES_PER_NODE = 520;
  private static final int BASE_BYTES = 2_600;

  enum Kind { DAG, STEPS, PIPELINE }

  /** One workflow's plan: everything about it that the random draw decided. */
  record Plan(String name, String namespace, String uid, Kind kind, int nodes, String finalPhase,
      Instant startedAt, Duration runtime, int scriptBytes, String team) {

  }

  private static final String[] DAG_PREFIXES = {"dag-diamond", "dag-with-retries",
      "dag-fan-out", "etl-nightly", "dag-xfail"};
  private static final String[] STEPS_PREFIXES = {"steps-", "hello-world", "retry-backoff",
      "coinflip", "loops-maps"};
  private static final String[] PIPELINE_PREFIXES = {"xgboost-sample-pipeline",
      "pipeline-with-loops-and-conditions", "flip-coin-pipeline", "parameters-complex"};
  private static final String[] TEAMS = {"search", "payments", "ml-platform", "growth"};
  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

  private final JsonMapper json = JsonMapper.builder().build();

  /**
   * Draws a plan whose final JSON is about {@code targetBytes} long, started some seconds to
   * hours before {@code now} (so tables show real-looking ages and durations).
   */
  Plan plan(Random random, int targetBytes, Instant now) {
    Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
    String[] prefixes = switch (kind) {
      case DAG -> DAG_PREFIXES;
      case STEPS -> STEPS_PREFIXES;
      case PIPELINE -> PIPELINE_PREFIXES;
    };
    String prefix = prefixes[random.nextInt(prefixes.length)];
    StringBuilder name = new StringBuilder(prefix.endsWith("-") ? prefix : prefix + "-");
    for (int i = 0; i < 5; i++) {
      name.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    int scriptBytes = kind == Kind.PIPELINE ? Math.min(targetBytes / 3, 12_000) : 0;
    int nodes = Math.max(3, (targetBytes - BASE_BYTES - scriptBytes) / BYTES_PER_NODE);
    int roll = random.nextInt(100);
    String phase = roll < 80 ? "Succeeded" : roll < 95 ? "Failed" : "Error";
    Duration runtime = Duration.ofSeconds(20 + random.nextInt(3 * 3600));
    Instant started = now.minus(runtime).truncatedTo(ChronoUnit.SECONDS);
    UUID uid = new UUID(random.nextLong(), random.nextLong());
    return new Plan(name.toString(), NAMESPACES.get(random.nextInt(NAMESPACES.size())),
        uid.toString(), kind, nodes, phase, started, runtime, scriptBytes,
        TEAMS[random.nextInt(TEAMS.length)]);
  }

  /** The object to create: phase Running, the root node and none of the others yet. */
  ObjectNode created(Plan p) {
    ObjectNode wf = json.createObjectNode();
    wf.put("apiVersion", WorkflowLabels.GROUP + "/" + WorkflowLabels.VERSION);
    wf.put("kind", WorkflowLabels.KIND);
    ObjectNode meta = wf.putObject("metadata");
    meta.put("name", p.name());
    meta.put("namespace", p.namespace());
    meta.put("uid", p.uid());
    meta.put("generateName", p.name().substring(0, p.name().length() - 5));
    ObjectNode labels = meta.putObject("labels");
    labels.put(WorkflowLabels.PHASE, "Running");
    labels.put("team", p.team());
    labels.put("workflows.argoproj.io/creator", "system-serviceaccount-argo-demo");
    if (p.kind() == Kind.PIPELINE) {
      labels.put("pipelines.kubeflow.org/kfp_sdk_version", "1.8.22");
      meta.putObject("annotations")
          .put("pipelines.kubeflow.org/pipeline_compilation_time", p.startedAt().toString())
          .put("pipelines.kubeflow.org/run_name", p.name());
    }
    wf.set("spec", spec(p));
    ObjectNode status = wf.putObject("status");
    status.put("phase", "Running");
    status.put("startedAt", p.startedAt().toString());
    status.put("finishedAt", (String) null);
    status.put("progress", "0/" + p.nodes());
    ObjectNode nodes = status.putObject("nodes");
    nodes.set(p.name(), rootNode(p, "Running", null));
    return wf;
  }

  /**
   * A merge patch advancing the status to {@code step} of {@code steps} (0 < step < steps):
   * nodes up to that fraction are added, the earlier ones finished, the latest ones running.
   */
  ObjectNode progress(Plan p, int step, int steps) {
    int from = (int) ((long) p.nodes() * (step - 1) / steps);
    int to = (int) ((long) p.nodes() * step / steps);
    ObjectNode patch = json.createObjectNode();
    ObjectNode status = patch.putObject("status");
    status.put("progress", from + "/" + p.nodes());
    ObjectNode nodes = status.putObject("nodes");
    for (int i = from; i < to; i++) {
      nodes.set(nodeId(p, i), node(p, i, i < to - 2 ? "Succeeded" : "Running", false));
    }
    return patch;
  }

  /**
   * The merge patch that completes it at {@code finishedAt} (when it is sent, so ages in tables
   * are real): the final phase, finishedAt, the remaining nodes, and the
   * labels Argo sets ({@code completed: "true"} and the phase).
   */
  ObjectNode completed(Plan p, int steps, Instant finishedAt) {
    int from = (int) ((long) p.nodes() * (steps - 1) / steps);
    ObjectNode patch = json.createObjectNode();
    ObjectNode labels = patch.putObject("metadata").putObject("labels");
    labels.put(WorkflowLabels.PHASE, p.finalPhase());
    labels.put(WorkflowLabels.COMPLETED, "true");
    ObjectNode status = patch.putObject("status");
    status.put("phase", p.finalPhase());
    status.put("finishedAt", finishedAt.toString());
    status.put("progress", (p.finalPhase().equals("Succeeded") ? p.nodes() : p.nodes() - 1)
        + "/" + p.nodes());
    if (!p.finalPhase().equals("Succeeded")) {
      status.put("message", p.finalPhase().equals("Failed")
          ? "child '" + nodeId(p, p.nodes() - 1) + "' failed"
          : "pod deleted during operation: node " + nodeId(p, p.nodes() - 1));
    }
    ObjectNode res = status.putObject("resourcesDuration");
    res.put("cpu", p.nodes() * 7L);
    res.put("memory", p.nodes() * 31L);
    ObjectNode nodes = status.putObject("nodes");
    nodes.set(p.name(), rootNode(p, p.finalPhase(), finishedAt));
    // Nodes the progress patches left Running finish now; the rest are added.
    for (int i = Math.max(0, from - 2); i < p.nodes(); i++) {
      boolean last = i == p.nodes() - 1;
      String phase = last && !p.finalPhase().equals("Succeeded") ? p.finalPhase() : "Succeeded";
      nodes.set(nodeId(p, i), node(p, i, phase, true));
    }
    return patch;
  }

  private ObjectNode spec(Plan p) {
    ObjectNode spec = json.createObjectNode();
    spec.put("entrypoint", "main");
    spec.put("serviceAccountName", "pipeline-runner");
    ObjectNode args = spec.putObject("arguments");
    ArrayNode params = args.putArray("parameters");
    params.addObject().put("name", "run-date").put("value", p.startedAt().toString());
    params.addObject().put("name", "config").put("value",
        "{\"learning_rate\": 0.1, \"max_depth\": 6, \"label\": \"" + p.team()
            + "\", \"inputs\": [\"s3://datasets/" + p.namespace() + "/part-0000.parquet\"]}");
    ArrayNode templates = spec.putArray("templates");
    ObjectNode main = templates.addObject();
    main.put("name", "main");
    int tasks = Math.min(p.nodes(), 12);
    if (p.kind() == Kind.STEPS) {
      ArrayNode groups = main.putArray("steps");
      for (int i = 0; i < tasks; i++) {
        groups.addArray().addObject().put("name", "step" + (i + 1)).put("template",
            i % 2 == 0 ? "whalesay" : "randomly-fail");
      }
    } else {
      ArrayNode dagTasks = main.putObject("dag").putArray("tasks");
      for (int i = 0; i < tasks; i++) {
        ObjectNode t = dagTasks.addObject().put("name", "task-" + (i + 1))
            .put("template", i % 2 == 0 ? "whalesay" : "randomly-fail");
        if (i > 0) {
          t.putArray("dependencies").add("task-" + i);
        }
      }
    }
    ObjectNode whalesay = templates.addObject().put("name", "whalesay");
    ObjectNode c = whalesay.putObject("container");
    c.put("image", "docker/whalesay:latest");
    c.putArray("command").add("cowsay");
    c.putArray("args").add("hello from " + p.name());
    c.putObject("resources").putObject("limits").put("cpu", "500m").put("memory", "256Mi");
    ObjectNode fail = templates.addObject().put("name", "randomly-fail");
    fail.putObject("retryStrategy").put("limit", "3").put("retryPolicy", "Always");
    ObjectNode fc = fail.putObject("container");
    fc.put("image", "alpine:3.23");
    fc.putArray("command").add("sh").add("-c");
    fc.putArray("args").add("exit $(( ${RANDOM} % 3 ))");
    if (p.scriptBytes() > 0) {
      ObjectNode script = templates.addObject().put("name", "train-model");
      ObjectNode s = script.putObject("script");
      s.put("image", "python:3.11");
      s.putArray("command").add("python3");
      s.put("source", pythonSource(p.scriptBytes()));
      ArrayNode in = script.putObject("inputs").putArray("parameters");
      in.addObject().put("name", "config");
      ArrayNode out = script.putObject("outputs").putArray("artifacts");
      out.addObject().put("name", "model").put("path", "/tmp/outputs/model/data");
    }
    return spec;
  }

  private static String pythonSource(int bytes) {
    String[] lines = {
        "import argparse, json, os, sys",
        "def _make_parent_dirs_and_return_path(file_path: str):",
        "    os.makedirs(os.path.dirname(file_path), exist_ok=True)",
        "    return file_path",
        "def train(training_data_path, model_path, label_column=0, num_iterations=10):",
        "    import pandas, xgboost",
        "    df = pandas.read_csv(training_data_path)",
        "    training_data = xgboost.DMatrix(data=df.drop(columns=[df.columns[label_column]]),"
            + " label=df[df.columns[label_column]])",
        "    booster = xgboost.train(params={'objective': 'reg:squarederror'},"
            + " dtrain=training_data, num_boost_round=num_iterations)",
        "    booster.save_model(model_path)",
        "_parser = argparse.ArgumentParser(prog='Xgboost train', description='Trains a model.')",
        "_parser.add_argument('--training-data', dest='training_data_path', type=str)",
        "_parsed_args = vars(_parser.parse_args())",
        "_outputs = train(**_parsed_args)"};
    StringBuilder sb = new StringBuilder(bytes + 100);
    int i = 0;
    while (sb.length() < bytes) {
      sb.append(lines[i++ % lines.length]).append('\n');
    }
    return sb.toString();
  }

  private ObjectNode rootNode(Plan p, String phase, Instant finishedAt) {
    ObjectNode n = json.createObjectNode();
    n.put("id", p.name());
    n.put("name", p.name());
    n.put("displayName", p.name());
    n.put("type", p.kind() == Kind.STEPS ? "Steps" : "DAG");
    n.put("templateName", "main");
    n.put("phase", phase);
    n.put("startedAt", p.startedAt().toString());
    n.put("finishedAt", finishedAt == null ? null : finishedAt.toString());
    ArrayNode children = n.putArray("children");
    for (int i = 0; i < Math.min(p.nodes(), 3); i++) {
      children.add(nodeId(p, i));
    }
    return n;
  }

  private ObjectNode node(Plan p, int i, String phase, boolean finished) {
    long slice = Math.max(1, p.runtime().getSeconds() / p.nodes());
    Instant start = p.startedAt().plusSeconds(slice * i);
    ObjectNode n = json.createObjectNode();
    String display = (p.kind() == Kind.STEPS ? "step" : "task-") + (i + 1)
        + (i % 7 == 3 ? "(" + (i % 3) + ")" : "");
    n.put("id", nodeId(p, i));
    n.put("name", p.name() + "." + display);
    n.put("displayName", display);
    n.put("type", i % 7 == 3 ? "Retry" : "Pod");
    n.put("templateName", i % 2 == 0 ? "whalesay" : "randomly-fail");
    n.put("boundaryID", p.name());
    n.put("phase", phase);
    n.put("startedAt", start.toString());
    if (finished || !"Running".equals(phase)) {
      n.put("finishedAt", start.plusSeconds(Math.max(1, slice - 1)).toString());
      n.putObject("resourcesDuration").put("cpu", 1 + i % 9).put("memory", 4 + i % 31);
      n.putObject("outputs").putArray("parameters").addObject()
          .put("name", "result").put("value", "{\"rows\": " + (1000 + i * 37)
              + ", \"status\": \"ok\"}");
    }
    if (!"Succeeded".equals(phase) && !"Running".equals(phase)) {
      n.put("message", "failed with exit code 1");
    }
    n.put("hostNodeName", "worker-" + (i % 5));
    n.putObject("inputs").putArray("parameters").addObject().put("name", "shard")
        .put("value", Integer.toString(i));
    if (i + 1 < p.nodes() && i % 4 != 3) {
      n.putArray("children").add(nodeId(p, i + 1));
    }
    return n;
  }

  static String nodeId(Plan p, int i) {
    // Argo's node ids are the workflow name and a 32-bit hash; a stable stand-in.
    return p.name() + "-" + Integer.toUnsignedString((p.uid().hashCode() * 31 + i) * 0x9E3779B1);
  }
}
