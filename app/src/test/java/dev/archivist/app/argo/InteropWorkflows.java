package dev.archivist.app.argo;

import dev.archivist.app.demo.CompletedDemoWorkflows;
import dev.archivist.core.WorkflowLabels;
import dev.archivist.testing.Fixtures;
import dev.archivist.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The workflows both archives are compared on: Argo's own test fixtures (when the shared fixtures
 * folder is present), the demo's generated workflows, and a few written here to reach every
 * label-selector operator (a numeric label for {@code gt}/{@code lt}, workflows without the
 * {@code team} label for {@code !team}).
 *
 * <p>All live in namespaces under {@code prefix}, so that nothing else on a shared API server
 * shows up in the unified list. Every workflow gets a distinct {@code startedAt}, one minute
 * apart: Argo pages by offset ordered by {@code startedat} alone, so ties at a page boundary
 * would make its own pages overlap or skip, whatever the archive holds.
 */
final class InteropWorkflows {
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final Instant BASE = Instant.parse("2025-03-01T08:00:00Z");

  private InteropWorkflows() {}

  /** The namespaces used, each {@code prefix + "-" + suffix}. */
  static final List<String> SUFFIXES = List.of("fixtures", "ml", "etl", "ci", "hand");

  static List<ObjectNode> build(String prefix, boolean withFixtures) {
    List<ObjectNode> out = new ArrayList<>();
    if (withFixtures) {
      for (Path file : Fixtures.yamlFiles("argo")) {
        out.add(fixture(file, prefix + "-fixtures"));
      }
    }
    List<String> generatedNamespaces = List.of(prefix + "-ml", prefix + "-etl", prefix + "-ci");
    List<ObjectNode> generated = CompletedDemoWorkflows.generate(36, 6_000, 19L, BASE);
    for (int i = 0; i < generated.size(); i++) {
      ObjectNode wf = generated.get(i);
      ObjectNode meta = (ObjectNode) wf.get("metadata");
      meta.put("namespace", generatedNamespaces.get(i % generatedNamespaces.size()));
      ((ObjectNode) meta.get("labels")).put("shard", Integer.toString(i % 10));
      out.add(wf);
    }
    for (int i = 0; i < 7; i++) {
      out.add(handWritten(prefix + "-hand", i));
    }
    for (int i = 0; i < out.size(); i++) {
      schedule(out.get(i), BASE.plus(Duration.ofMinutes(i)), Duration.ofSeconds(30 + 7L * i));
    }
    return out;
  }

  /** A fixture marked completed as Argo leaves it (phase, finishedAt, labels), renamespaced. */
  private static ObjectNode fixture(Path file, String namespace) {
    JsonNode node;
    try {
      node = YAMLMapper.builder().build().readTree(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read fixture " + file, e);
    }
    ObjectNode wf = (ObjectNode) node;
    wf.put("apiVersion", "argoproj.io/v1alpha1");
    wf.put("kind", "Workflow");
    ObjectNode meta = (ObjectNode) wf.get("metadata");
    meta.put("namespace", namespace);
    if (!meta.hasNonNull("uid")) {
      meta.put("uid", UUID.nameUUIDFromBytes(file.getFileName().toString().getBytes())
          .toString());
    }
    if (!meta.hasNonNull("name")) {
      String base = file.getFileName().toString().replace(".yaml", "").replace('_', '-');
      meta.put("name", base);
    }
    meta.remove("selfLink");
    meta.remove("resourceVersion");
    ObjectNode status = wf.has("status") && wf.get("status").isObject()
        ? (ObjectNode) wf.get("status") : wf.putObject("status");
    String phase = status.path("phase").asString("");
    if (!List.of("Succeeded", "Failed", "Error").contains(phase)) {
      phase = "Succeeded";
      status.put("phase", phase);
    }
    ObjectNode labels = meta.has("labels") && meta.get("labels").isObject()
        ? (ObjectNode) meta.get("labels") : meta.putObject("labels");
    labels.put(WorkflowLabels.COMPLETED, "true");
    labels.put(WorkflowLabels.PHASE, phase);
    return wf;
  }

  /** Small workflows with labels the generated ones lack. */
  private static ObjectNode handWritten(String namespace, int i) {
    ObjectNode wf = JSON.createObjectNode();
    wf.put("apiVersion", "argoproj.io/v1alpha1");
    wf.put("kind", "Workflow");
    ObjectNode meta = wf.putObject("metadata");
    // The last one runs again under the first one's name: get-by-name must give the later.
    meta.put("name",
        i == 6 ? "Report-Daily-0" : (i % 2 == 0 ? "Report-Daily-" : "report-weekly-") + i);
    meta.put("namespace", namespace);
    meta.put("uid", UUID.nameUUIDFromBytes(("hand-" + i).getBytes()).toString());
    ObjectNode labels = meta.putObject("labels");
    labels.put(WorkflowLabels.COMPLETED, "true");
    String phase = i == 3 ? "Error" : i == 4 ? "Failed" : "Succeeded";
    labels.put(WorkflowLabels.PHASE, phase);
    labels.put("shard", Integer.toString(10 + i));
    if (i % 3 == 0) {
      labels.put("cost-center", "cc-" + i);
    }
    meta.putObject("annotations").put("workflows.argoproj.io/description",
        "report " + i + " with \"quotes\" and unicode \u00e9\u4e2d");
    ObjectNode spec = wf.putObject("spec");
    spec.put("entrypoint", "main");
    if (i == 5) {
      spec.put("suspend", true);
    }
    spec.putObject("arguments").putArray("parameters").addObject().put("name", "day")
        .put("value", "2025-03-0" + (i + 1));
    spec.putArray("templates").addObject().put("name", "main")
        .putObject("container").put("image", "alpine:3.23");
    ObjectNode status = wf.putObject("status");
    status.put("phase", phase);
    status.put("progress", phase.equals("Succeeded") ? "1/1" : "0/1");
    if (!phase.equals("Succeeded")) {
      status.put("message", "exit code " + i);
    }
    if (i == 2) {
      status.put("estimatedDuration", 42);
    }
    status.putObject("nodes").putObject(meta.get("name").asString())
        .put("id", meta.get("name").asString()).put("phase", phase).put("type", "Pod");
    return wf;
  }

  /** How many nodes each workflow of {@link #movedNodes} has. */
  static final int MOVED_NODES = 40;

  /**
   * Two workflows as Argo leaves large ones: {@code moved-nodes-compressed} with its nodes in
   * {@code status.compressedNodes} (base64 of gzip), {@code moved-nodes-offloaded} with
   * {@code status.offloadNodeStatusVersion} naming a row of Argo's offload table, which
   * {@link #offload} writes. Started before every other workflow, so they sort last.
   */
  static List<ObjectNode> movedNodes(String namespace) {
    List<ObjectNode> out = new ArrayList<>();
    for (String kind : List.of("compressed", "offloaded")) {
      ObjectNode wf = handWritten(namespace, 0);
      ObjectNode meta = (ObjectNode) wf.get("metadata");
      String name = "moved-nodes-" + kind;
      meta.put("name", name);
      meta.put("uid", UUID.nameUUIDFromBytes(name.getBytes()).toString());
      ObjectNode status = (ObjectNode) wf.get("status");
      ObjectNode nodes = JSON.createObjectNode();
      for (int i = 0; i < MOVED_NODES; i++) {
        String id = name + "-" + (1000 + i);
        nodes.putObject(id).put("id", id).put("name", name + ".step" + i)
            .put("displayName", "step" + i).put("type", "Pod").put("phase", "Succeeded");
      }
      status.remove("nodes");
      if (kind.equals("compressed")) {
        status.put("compressedNodes", gzipBase64(JSON.writeValueAsString(nodes)));
      } else {
        status.put("offloadNodeStatusVersion", "fnv:" + (1_000_000 + out.size()));
        status.set("offloadedNodesForTest", nodes);
      }
      schedule(wf, BASE.minus(Duration.ofHours(2)).plus(Duration.ofMinutes(out.size())),
          Duration.ofSeconds(40));
      out.add(wf);
    }
    return out;
  }

  /** Writes the offloaded workflow's nodes to Argo's offload table, as Argo's controller does. */
  static void offload(TestDatabase db, ObjectNode wf) throws SQLException {
    ObjectNode status = (ObjectNode) wf.get("status");
    JsonNode nodes = status.remove("offloadedNodesForTest");
    String nodesParameter = db.dialect().equals("postgresql") ? "CAST(? AS json)" : "?";
    db.update("INSERT INTO argo_workflows (clustername, uid, version, namespace, nodes,"
        + " updatedat) VALUES (?, ?, ?, ?, " + nodesParameter + ", CURRENT_TIMESTAMP)",
        "default", wf.get("metadata").get("uid").asString(),
        status.get("offloadNodeStatusVersion").asString(),
        wf.get("metadata").get("namespace").asString(), JSON.writeValueAsString(nodes));
  }

  private static String gzipBase64(String json) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(json.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Base64.getEncoder().encodeToString(bytes.toByteArray());
  }

  /** Sets creation, start and finish times: created 5 s before the start. */
  private static void schedule(ObjectNode wf, Instant startedAt, Duration runtime) {
    ObjectNode meta = (ObjectNode) wf.get("metadata");
    meta.put("creationTimestamp", startedAt.minusSeconds(5).toString());
    ObjectNode status = (ObjectNode) wf.get("status");
    status.put("startedAt", startedAt.toString());
    status.put("finishedAt", startedAt.plus(runtime).toString());
  }
}
