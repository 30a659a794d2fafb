package dev.archivist.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.archivist.store.argo.ArgoNodesConfig;
import dev.archivist.store.argo.NodeRestoration;
import dev.archivist.store.argo.NodeRestoration.From;
import dev.archivist.store.argo.NodeRestoration.Restored;
import dev.archivist.store.argo.NodeRestoration.Unavailable;
import dev.archivist.store.argo.NodeRestorer;
import dev.archivist.testing.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Argo's node-status offload table on a database that Archivist created: restoring offloaded
 * and compressed nodes before archiving, and the reads and writes Argo's controller and Argo
 * Server make on that table.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ArgoOffloadContract {
  TestDatabase db;
  ArchiveStore store;
  NodeRestorer restorer;
  boolean postgres;
  String nodesJson;

  @BeforeAll
  void open(TestDatabase db) {
    this.db = db;
    postgres = db.dialect().equals("postgresql");
    store = ArchiveStore.open(new StoreConfig(db.jdbcUrl(), null, null, "default", "", 4,
        Duration.ofSeconds(5), Duration.ofSeconds(30)));
    store.migrate();
    restorer = store.nodeRestorer(ArgoNodesConfig.defaults());
    nodesJson = new String(vector("nodes.json"), StandardCharsets.UTF_8).strip();
  }

  @AfterAll
  void close() {
    if (store != null) {
      store.close();
    }
  }

  @BeforeEach
  void empty() throws SQLException {
    db.deleteAll("argo_workflows", "argo_archived_workflows_labels", "argo_archived_workflows");
  }

  static byte[] vector(String name) {
    try (InputStream in = ArgoOffloadContract.class.getResourceAsStream("/argo-nodes/" + name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Argo's own insert (its offload repository's Save), as its SQL library sends it. */
  void argoSave(String cluster, String uid, String version, String namespace, String nodes)
      throws SQLException {
    String q = postgres ? "\"" : "`";
    String sql = "INSERT INTO " + q + "argo_workflows" + q + " (" + q + "clustername" + q + ", "
        + q + "uid" + q + ", " + q + "version" + q + ", " + q + "namespace" + q + ", " + q
        + "nodes" + q + ") VALUES (?, ?, ?, ?, " + (postgres ? "CAST(? AS json)" : "?") + ")";
    db.update(sql, cluster, uid, version, namespace, nodes);
  }

  /** A completed workflow as the API server returns it, with managedFields and no labels. */
  static ObjectNode workflow(String uid) {
    ObjectNode wf = TestWorkflows.workflow(uid, "ns", "wf-" + uid, Map.of(),
        TestWorkflows.NOW.minusSeconds(3600), 0);
    ObjectNode md = (ObjectNode) wf.get("metadata");
    md.remove("labels");
    md.putArray("managedFields").addObject().put("manager", "workflow-controller")
        .put("operation", "Update");
    ((ObjectNode) wf.get("status")).remove("nodes");
    return wf;
  }

  static ObjectNode offloaded(String uid, String version) {
    ObjectNode wf = workflow(uid);
    ((ObjectNode) wf.get("status")).put("offloadNodeStatusVersion", version);
    return wf;
  }

  /** Restores, archives and reads back what the archive API would serve. */
  JsonNode archiveAndReadBack(NodeRestoration r) {
    assertThat(r).isInstanceOf(Restored.class);
    WorkflowDocument doc = WorkflowDocuments.fromWorkflow(((Restored) r).workflow(),
        TestWorkflows.NOW);
    assertThat(store.archive(List.of(doc)).outcomes().get(0))
        .isInstanceOf(BatchResult.Written.class);
    return store.get(doc.uid()).orElseThrow();
  }

  @Test
  void restore_offloadedNodesWithTheirRowAreArchivedWhole() throws SQLException {
    argoSave("default", "off-1", "fnv:2166136261", "ns", nodesJson);
    NodeRestoration r = restorer.restore(offloaded("off-1", "fnv:2166136261"));
    assertThat(((Restored) r).from()).isEqualTo(From.OFFLOADED);

    JsonNode stored = archiveAndReadBack(r);
    assertThat(stored.at("/status/nodes")).isEqualTo(TestWorkflows.JSON.readTree(nodesJson));
    assertThat(stored.at("/status/nodes").size()).isEqualTo(3);
    assertThat(stored.get("status").has("offloadNodeStatusVersion")).isFalse();
    assertThat(stored.get("status").has("compressedNodes")).isFalse();
    assertThat(stored.get("metadata").has("managedFields")).isFalse();
    assertThat(stored.at("/metadata/labels").isObject()).isTrue();
  }

  @Test
  void restore_offloadedNodesWhoseRowIsGoneAreUnavailable() throws SQLException {
    argoSave("other-cluster", "off-2", "fnv:1", "ns", nodesJson); // not our cluster name
    argoSave("default", "off-2", "fnv:0", "ns", nodesJson); // an older version
    NodeRestoration r = restorer.restore(offloaded("off-2", "fnv:1"));
    assertThat(r).isInstanceOf(Unavailable.class);
    assertThat(((Unavailable) r).detail()).startsWith("workflow ns/wf-off-2 (uid off-2):"
        + " status.offloadNodeStatusVersion is fnv:1, but Argo's offload table has no such row");
    assertThat(store.exists("off-2")).isFalse();
  }

  @Test
  void restore_compressedNodesOfEachEncodingAreArchivedWhole() {
    for (String vector : List.of("nodes.json.gz", "nodes.json.zst", "nodes.json.br")) {
      ObjectNode wf = workflow("c-" + vector.replace('.', '-'));
      ((ObjectNode) wf.get("status")).put("compressedNodes",
          Base64.getEncoder().encodeToString(vector(vector)));
      JsonNode stored = archiveAndReadBack(restorer.restore(wf));
      assertThat(stored.at("/status/nodes")).as(vector)
          .isEqualTo(TestWorkflows.JSON.readTree(nodesJson));
      assertThat(stored.get("status").has("compressedNodes")).isFalse();
    }
  }

  @Test
  void restore_readsABatchLargerThanOneQueryHolds() throws SQLException {
    int n = 620; // more than one query's 500 keys
    String q = postgres ? "CAST(? AS json)" : "?";
    try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO"
        + " argo_workflows (clustername, uid, version, namespace, nodes) VALUES"
        + " ('default', ?, 'fnv:7', 'ns', " + q + ")")) {
      for (int i = 0; i < n; i++) {
        ps.setString(1, "b-" + i);
        ps.setString(2, "{\"b-" + i + "\":{\"phase\":\"Succeeded\"}}");
        ps.addBatch();
      }
      ps.executeBatch();
    }
    List<ObjectNode> batch = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      batch.add(offloaded("b-" + i, "fnv:7"));
    }
    batch.add(offloaded("b-missing", "fnv:7"));
    List<NodeRestoration> out = restorer.restore(batch);
    for (int i = 0; i < n; i++) {
      assertThat(((Restored) out.get(i)).workflow().at("/status/nodes").propertyNames())
          .containsExactly("b-" + i);
    }
    assertThat(out.get(n)).isInstanceOf(Unavailable.class);
  }

  @Test
  void restore_aMissingOffloadTableIsADatabaseFailureNamingIt() {
    NodeRestorer wrong = store.nodeRestorer(ArgoNodesConfig.ofTable("no_such_offload_table"));
    assertThatThrownBy(() -> wrong.restore(offloaded("x", "fnv:1")))
        .isInstanceOf(ArchiveStoreException.class)
        .hasMessageContaining("read of 1 offloaded node maps from table no_such_offload_table")
        .hasMessageContaining("no_such_offload_table");
    // A batch with nothing offloaded never asks the database.
    assertThat(wrong.restore(workflow("plain"))).isInstanceOf(Restored.class);
  }

  /**
   * The statements an Argo controller and an Argo Server run on this table, spelled as Argo's SQL
   * library sends them: its Save (and the duplicate-key error text it relies on), Argo Server's
   * workflow list (one namespace, or all), the controller's search for old offloads, and Delete.
   */
  @Test
  void argoShapedStatements_workOnTheTableArchivistCreated() throws SQLException {
    argoSave("default", "u1", "fnv:1", "ns-a", nodesJson);
    argoSave("default", "u2", "fnv:2", "ns-b", "{}");
    argoSave("other", "u3", "fnv:3", "ns-a", "{}");
    assertThatThrownBy(() -> argoSave("default", "u1", "fnv:1", "ns-a", nodesJson))
        .isInstanceOf(SQLException.class)
        .hasMessageContaining(postgres ? "duplicate key" : "Duplicate entry");

    String q = postgres ? "\"" : "`";
    String list = "SELECT " + q + "uid" + q + ", " + q + "version" + q + ", " + q + "nodes" + q
        + " FROM " + q + "argo_workflows" + q + " WHERE (" + q + "clustername" + q + " = ?";
    Map<String, String> inNamespace = query(list + " AND " + q + "namespace" + q + " = ?)",
        "default", "ns-a");
    assertThat(inNamespace).containsOnlyKeys("u1/fnv:1");
    assertThat(TestWorkflows.JSON.readTree(inNamespace.get("u1/fnv:1")))
        .isEqualTo(TestWorkflows.JSON.readTree(nodesJson));
    assertThat(query(list + ")", "default")).containsOnlyKeys("u1/fnv:1", "u2/fnv:2");

    String old = "SELECT " + q + "uid" + q + ", " + q + "version" + q + ", '' FROM " + q
        + "argo_workflows" + q + " WHERE (" + q + "clustername" + q + " = ? AND " + q
        + "namespace" + q + " = ? AND updatedat < current_timestamp - interval '300' second)";
    assertThat(query(old, "default", "ns-a")).isEmpty();
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE argo_workflows SET updatedat = updatedat - interval '1' hour"
          + " WHERE uid = 'u1'");
    }
    assertThat(query(old, "default", "ns-a")).containsOnlyKeys("u1/fnv:1");

    assertThat(db.update("DELETE FROM " + q + "argo_workflows" + q + " WHERE (" + q
        + "clustername" + q + " = ? AND " + q + "uid" + q + " = ? AND " + q + "version" + q
        + " = ?)", "default", "u1", "fnv:1")).isEqualTo(1);
    assertThat(query(list + ")", "default")).containsOnlyKeys("u2/fnv:2");
  }

  /** uid/version → the third column. */
  private Map<String, String> query(String sql, String... params) throws SQLException {
    Map<String, String> rows = new LinkedHashMap<>();
    try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setString(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.put(rs.getString(1) + "/" + rs.getString(2), rs.getString(3));
        }
      }
    }
    return rows;
  }
}
