package dev.archivist.store.argo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.archivist.store.ArchiveStoreException;
import dev.archivist.store.argo.NodeRestoration.From;
import dev.archivist.store.argo.NodeRestoration.Restored;
import dev.archivist.store.argo.NodeRestoration.Unavailable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class DefaultNodeRestorerTest {
  private static final long LIMIT = ArgoNodesConfig.DEFAULT_MAX_NODES_BYTES;

  /** An offload table in memory that records every read. */
  static final class RecordingOffload implements OffloadedNodes {
    final Map<Key, String> rows = new HashMap<>();
    final List<List<Key>> reads = new ArrayList<>();

    @Override
    public Map<Key, String> read(Collection<Key> keys) {
      reads.add(List.copyOf(keys));
      Map<Key, String> found = new HashMap<>();
      for (Key k : keys) {
        if (rows.containsKey(k)) {
          found.put(k, rows.get(k));
        }
      }
      return found;
    }
  }

  private final RecordingOffload offload = new RecordingOffload();
  private final NodeRestorer restorer = NodeRestorer.over(offload, LIMIT);

  static ObjectNode workflow(String uid) {
    ObjectNode wf = Vectors.JSON.createObjectNode();
    wf.put("apiVersion", "argoproj.io/v1alpha1");
    wf.put("kind", "Workflow");
    ObjectNode md = wf.putObject("metadata");
    md.put("name", "wf-" + uid);
    md.put("namespace", "ns");
    md.put("uid", uid);
    wf.putObject("spec").put("entrypoint", "main");
    ObjectNode status = wf.putObject("status");
    status.put("phase", "Succeeded");
    status.put("startedAt", "2026-11-30T10:00:00Z");
    status.put("finishedAt", "2026-11-30T10:04:12Z");
    return wf;
  }

  static ObjectNode compressed(String uid, String vector) {
    ObjectNode wf = workflow(uid);
    ((ObjectNode) wf.get("status")).put("compressedNodes", Vectors.base64(vector));
    return wf;
  }

  static ObjectNode offloaded(String uid, String version) {
    ObjectNode wf = workflow(uid);
    ((ObjectNode) wf.get("status")).put("offloadNodeStatusVersion", version);
    return wf;
  }

  private static JsonNode restored(NodeRestoration r, From from) {
    assertThat(r).isInstanceOf(Restored.class);
    assertThat(((Restored) r).from()).isEqualTo(from);
    JsonNode wf = ((Restored) r).workflow();
    assertThat(wf.get("status").has("compressedNodes")).isFalse();
    assertThat(wf.get("status").has("offloadNodeStatusVersion")).isFalse();
    return wf;
  }

  @Test
  void restore_decodesCompressedNodesOfEachEncodingWithoutTouchingTheInput() {
    for (String vector : List.of("nodes.json.gz", "nodes.json.zst", "nodes.json.br")) {
      ObjectNode wf = compressed("u-" + vector, vector);
      String before = wf.toString();
      JsonNode out = restored(restorer.restore(wf), From.COMPRESSED);
      assertThat(out.get("status").get("nodes")).isEqualTo(Vectors.json("nodes.json"));
      assertThat(out.get("status").get("phase").stringValue()).isEqualTo("Succeeded");
      assertThat(out.get("metadata")).isSameAs(wf.get("metadata"));
      assertThat(wf.toString()).as("input unchanged").isEqualTo(before);
    }
    assertThat(offload.reads).as("nothing offloaded, no query").isEmpty();
  }

  @Test
  void restore_returnsAWorkflowWithNothingMovedOutAsItIs() {
    ObjectNode wf = workflow("plain");
    ((ObjectNode) wf.get("status")).putObject("nodes").putObject("n1").put("phase", "Succeeded");
    NodeRestoration r = restorer.restore(wf);
    assertThat(((Restored) r).workflow()).isSameAs(wf);
    assertThat(((Restored) r).from()).isEqualTo(From.IN_PLACE);
  }

  @Test
  void restore_dropsEmptyFieldsAndPassesNonObjectsThrough() {
    ObjectNode wf = workflow("empty");
    ((ObjectNode) wf.get("status")).put("compressedNodes", "").putNull("offloadNodeStatusVersion");
    JsonNode out = restored(restorer.restore(wf), From.IN_PLACE);
    assertThat(out.get("status").has("nodes")).isFalse();
    JsonNode array = Vectors.JSON.createArrayNode();
    assertThat(((Restored) restorer.restore(array)).workflow()).isSameAs(array);
  }

  @Test
  void restore_keepsNonEmptyNodesBesideCompressedNodes() {
    ObjectNode wf = compressed("both", "nodes.json.gz");
    ((ObjectNode) wf.get("status")).putObject("nodes").putObject("n1").put("phase", "Failed");
    JsonNode out = restored(restorer.restore(wf), From.IN_PLACE);
    assertThat(out.at("/status/nodes/n1/phase").stringValue()).isEqualTo("Failed");
  }

  @Test
  void restore_corruptCompressedNodesAreUnavailableNamingTheWorkflow() {
    ObjectNode wf = workflow("bad");
    ((ObjectNode) wf.get("status")).put("compressedNodes", "%%%");
    NodeRestoration r = restorer.restore(wf);
    assertThat(r).isInstanceOf(Unavailable.class);
    assertThat(((Unavailable) r).detail()).startsWith("workflow ns/wf-bad (uid bad):"
        + " status.compressedNodes is not valid base64");
    assertThat(Unavailable.REASON).isEqualTo("nodes_unavailable");

    ObjectNode number = workflow("num");
    ((ObjectNode) number.get("status")).put("compressedNodes", 5);
    assertThat(((Unavailable) restorer.restore(number)).detail())
        .endsWith("status.compressedNodes is a NUMBER, expected a base64 string");
  }

  @Test
  void restore_oversizedCompressedNodesAreUnavailable() {
    NodeRestorer small = NodeRestorer.over(offload, 1 << 20);
    NodeRestoration r = small.restore(compressed("bomb", "bomb-8MiB.zst"));
    assertThat(((Unavailable) r).detail()).contains("decompresses to more than 1048576 bytes");
  }

  @Test
  void restore_readsEveryOffloadedWorkflowOfABatchInOneCall() {
    String nodes = Vectors.json("nodes.json").toString();
    offload.rows.put(new OffloadedNodes.Key("o1", "fnv:1"), nodes);
    offload.rows.put(new OffloadedNodes.Key("o2", "fnv:2"), "{\"x\":{\"phase\":\"Failed\"}}");
    List<ObjectNode> batch = List.of(offloaded("o1", "fnv:1"), workflow("plain"),
        compressed("c1", "nodes.json.br"), offloaded("o2", "fnv:2"), offloaded("gone", "fnv:3"));

    List<NodeRestoration> out = restorer.restore(batch);

    assertThat(offload.reads).hasSize(1);
    assertThat(offload.reads.get(0)).containsExactly(new OffloadedNodes.Key("o1", "fnv:1"),
        new OffloadedNodes.Key("o2", "fnv:2"), new OffloadedNodes.Key("gone", "fnv:3"));
    assertThat(restored(out.get(0), From.OFFLOADED).get("status").get("nodes"))
        .isEqualTo(Vectors.json("nodes.json"));
    assertThat(restored(out.get(1), From.IN_PLACE)).isSameAs(batch.get(1));
    assertThat(restored(out.get(2), From.COMPRESSED).get("status").get("nodes"))
        .isEqualTo(Vectors.json("nodes.json"));
    assertThat(restored(out.get(3), From.OFFLOADED).at("/status/nodes/x/phase").stringValue())
        .isEqualTo("Failed");
    assertThat(out.get(4)).isInstanceOf(Unavailable.class);
    assertThat(((Unavailable) out.get(4)).detail()).startsWith("workflow ns/wf-gone (uid gone):"
        + " status.offloadNodeStatusVersion is fnv:3, but Argo's offload table has no such row");
  }

  @Test
  void restore_offloadedNodesWinOverCompressedOnes() {
    offload.rows.put(new OffloadedNodes.Key("both", "fnv:9"), "{\"off\":{}}");
    ObjectNode wf = compressed("both", "nodes.json.gz");
    ((ObjectNode) wf.get("status")).put("offloadNodeStatusVersion", "fnv:9");
    JsonNode out = restored(restorer.restore(wf), From.OFFLOADED);
    assertThat(out.at("/status/nodes").propertyNames()).containsExactly("off");
  }

  @Test
  void restore_offloadedNodesThatAreTooLargeOrNotAMapAreUnavailable() {
    offload.rows.put(new OffloadedNodes.Key("big", "v"), "{\"n\":\"" + "x".repeat(100) + "\"}");
    offload.rows.put(new OffloadedNodes.Key("arr", "v"), "[]");
    NodeRestorer small = NodeRestorer.over(offload, 64);
    List<NodeRestoration> out = small.restore(List.of(offloaded("big", "v"),
        offloaded("arr", "v")));
    assertThat(((Unavailable) out.get(0)).detail()).contains("are 108 characters long, more"
        + " than the 64 bytes allowed");
    assertThat(((Unavailable) out.get(1)).detail()).endsWith("the offloaded nodes"
        + " (offloadNodeStatusVersion v) is a JSON ARRAY, expected an object of nodes");
  }

  @Test
  void restore_aDatabaseFailureFailsTheWholeBatch() {
    NodeRestorer failing = NodeRestorer.over(keys -> {
      throw new ArchiveStoreException("archive store: down", "08001", null);
    }, LIMIT);
    assertThatThrownBy(() -> failing.restore(List.of(compressed("c", "nodes.json.gz"),
        offloaded("o", "v")))).isInstanceOf(ArchiveStoreException.class);
  }

  @Test
  void config_rejectsATableNameThatIsNotAnIdentifier() {
    assertThat(ArgoNodesConfig.ofTable("argo.argo_workflows").offloadTable())
        .isEqualTo("argo.argo_workflows");
    assertThatThrownBy(() -> ArgoNodesConfig.ofTable("argo_workflows; DROP TABLE x"))
        .hasMessageStartingWith("--argo-offload-table must be a table name")
        .hasMessageEndingWith("got 'argo_workflows; DROP TABLE x'");
    assertThatThrownBy(() -> new ArgoNodesConfig("argo_workflows", 0))
        .hasMessage("maxNodesBytes must be >= 1, got 0");
  }
}
