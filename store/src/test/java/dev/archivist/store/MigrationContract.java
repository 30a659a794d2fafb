package dev.archivist.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.archivist.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Adopting an archive that Argo created, and refusing the ones we must not touch. Each test
 * builds its starting point with plain SQL, as Argo's own migration would have left it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MigrationContract {
  private static final String ARGO_JSON = "{\"metadata\":{\"name\":\"argo-made\","
      + "\"namespace\":\"argo\",\"uid\":\"argo-uid-1\",\"labels\":{\"workflows.argoproj.io/"
      + "workflow-archiving-status\":\"Persisted\",\"team\":\"a\"}},\"spec\":{},"
      + "\"status\":{\"phase\":\"Succeeded\",\"startedAt\":\"2024-01-01T00:00:00Z\","
      + "\"finishedAt\":\"2024-01-01T00:10:00Z\"}}";

  TestDatabase db;
  boolean postgres;

  @BeforeAll
  void init(TestDatabase db) {
    this.db = db;
    this.postgres = db.dialect().equals("postgresql");
  }

  @BeforeEach
  void dropEverything() throws SQLException {
    for (String t : List.of("argo_archived_workflows_labels", "argo_archived_workflows",
        "schema_history", "archivist_schema_history", "unrelated", "argo_workflows")) {
      sql("DROP TABLE IF EXISTS " + t + (postgres ? " CASCADE" : ""));
    }
  }

  void sql(String... statements) throws SQLException {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      for (String st : statements) {
        s.execute(st);
      }
    }
  }

  String one(String query) throws SQLException {
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  ArchiveStore open() {
    return ArchiveStore.open(new StoreConfig(db.jdbcUrl(), null, null, "default", "", 2,
        Duration.ofSeconds(5), Duration.ofSeconds(30)));
  }

  /** Asserts that {@code migrate} refuses the schema as it is; the caller checks the message. */
  AbstractThrowableAssert<?, ? extends Throwable> assertThatMigrateRefuses() {
    try (ArchiveStore store = open()) {
      return assertThatThrownBy(store::migrate).isInstanceOf(ArchiveStoreException.class);
    }
  }

  /** Argo's step-68 schema, written the way an operator's Argo database looks. */
  void createArgoSchema(int schemaVersion, String labelValueType, boolean withI5)
      throws SQLException {
    String json = postgres ? "jsonb" : "json";
    String creation = postgres ? "timestamp NULL DEFAULT CURRENT_TIMESTAMP"
        : "timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP";
    sql("CREATE TABLE argo_archived_workflows (uid varchar(128) NOT NULL, name varchar(256) NOT"
        + " NULL, phase varchar(25) NOT NULL, namespace varchar(256) NOT NULL, workflow " + json
        + " NOT NULL, startedat timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP, finishedat"
        + " timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP, clustername varchar(64) NOT NULL,"
        + " instanceid varchar(64) NOT NULL, creationtimestamp " + creation + ","
        + " PRIMARY KEY (clustername, uid))",
        "CREATE TABLE argo_archived_workflows_labels (clustername varchar(64) NOT NULL,"
        + " uid varchar(128) NOT NULL, name varchar(317) NOT NULL, value " + labelValueType
        + " NOT NULL, PRIMARY KEY (clustername, uid, name), FOREIGN KEY (clustername, uid)"
        + " REFERENCES argo_archived_workflows (clustername, uid) ON DELETE CASCADE)",
        "CREATE INDEX argo_archived_workflows_i1 ON argo_archived_workflows (clustername,"
        + " instanceid, namespace, startedat DESC)",
        "CREATE INDEX argo_archived_workflows_i2 ON argo_archived_workflows (clustername,"
        + " instanceid, finishedat)",
        "CREATE INDEX argo_archived_workflows_i3 ON argo_archived_workflows (clustername,"
        + " instanceid, name)",
        "CREATE INDEX argo_archived_workflows_i4 ON argo_archived_workflows (clustername,"
        + " startedat)",
        "CREATE INDEX argo_archived_workflows_labels_i1 ON argo_archived_workflows_labels"
        + " (name, value)",
        "CREATE TABLE schema_history (schema_version int NOT NULL, PRIMARY KEY"
        + " (schema_version))",
        "INSERT INTO schema_history VALUES (" + schemaVersion + ")",
        "INSERT INTO argo_archived_workflows (uid, name, phase, namespace, workflow, startedat,"
        + " finishedat, clustername, instanceid, creationtimestamp) VALUES ('argo-uid-1',"
        + " 'argo-made', 'Succeeded', 'argo', '" + ARGO_JSON + "', '2024-01-01 00:00:00',"
        + " '2024-01-01 00:10:00', 'default', '', '2024-01-01 00:00:00')",
        "INSERT INTO argo_archived_workflows_labels VALUES ('default', 'argo-uid-1', 'team', 'a')",
        "INSERT INTO argo_archived_workflows_labels VALUES ('default', 'argo-uid-1',"
        + " 'workflows.argoproj.io/workflow-archiving-status', 'Persisted')");
    if (withI5) {
      sql("CREATE INDEX argo_archived_workflows_i5 ON argo_archived_workflows"
          + " (creationtimestamp)");
    }
  }

  @Test
  void migrate_adoptsAnArgoArchiveWithoutTouchingItsRows() throws SQLException {
    createArgoSchema(68, "varchar(63)", true);
    String before = one("SELECT workflow FROM argo_archived_workflows");
    try (ArchiveStore store = open()) {
      MigrationResult r = store.migrate();
      assertThat(r.adopted()).isTrue();
      assertThat(r.argoSchemaVersion()).isEqualTo(68);
      assertThat(one("SELECT workflow FROM argo_archived_workflows")).isEqualTo(before);
      assertThat(one("SELECT count(*) FROM argo_archived_workflows_labels")).isEqualTo("2");
      assertThat(one("SELECT schema_version FROM schema_history")).isEqualTo("68");
      // Argo's rows read through the store, and ours land beside them.
      assertThat(store.get("argo-uid-1").orElseThrow().at("/metadata/name").stringValue())
          .isEqualTo("argo-made");
      assertThat(store.list(ListQuery.all()).items()).hasSize(1);
      store.archive(List.of(TestWorkflows.document("ours", "argo", "ours", Map.of(),
          ArchiveStoreContract.t(0), 0)));
      assertThat(store.list(ListQuery.all()).items()).hasSize(2);
      MigrationResult again = store.migrate();
      assertThat(again.adopted()).isTrue();
      assertThat(again.appliedMigrations()).isZero();
    }
    assertThat(offloadColumns()).as("an Argo database without an offload table gets one")
        .containsKeys("uid", "version", "nodes");
  }

  /** column name → "type(length) null|not null", in column order. */
  Map<String, String> offloadColumns() throws SQLException {
    Map<String, String> columns = new LinkedHashMap<>();
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT column_name, data_type, character_maximum_length,"
            + " is_nullable FROM information_schema.columns WHERE table_name = 'argo_workflows'"
            + " AND table_schema = " + (postgres ? "current_schema()" : "database()")
            + " ORDER BY ordinal_position")) {
      while (rs.next()) {
        long len = rs.getLong(3);
        boolean noLength = rs.wasNull() || len > 100_000; // longtext reports 4 GiB
        columns.put(rs.getString(1).toLowerCase(Locale.ROOT),
            rs.getString(2).toLowerCase(Locale.ROOT) + (noLength ? "" : "(" + len + ")")
                + ("YES".equals(rs.getString(4)) ? " null" : " not null"));
      }
    }
    return columns;
  }

  List<String> offloadKeyAndIndex() throws SQLException {
    String query = postgres
        ? "SELECT indexname || ' ' || indexdef FROM pg_indexes WHERE tablename = 'argo_workflows'"
            + " AND schemaname = current_schema() ORDER BY indexname"
        : "SELECT concat(index_name, ' ', group_concat(column_name ORDER BY seq_in_index))"
            + " FROM information_schema.statistics WHERE table_name = 'argo_workflows'"
            + " AND table_schema = database() GROUP BY index_name ORDER BY index_name";
    List<String> out = new ArrayList<>();
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      while (rs.next()) {
        out.add(rs.getString(1).replace("public.", "").replaceAll(" ON [a-z0-9_]+\\.", " ON "));
      }
    }
    return out;
  }

  @Test
  void migrate_createsArgosOffloadTableAsStep68LeavesIt() throws SQLException {
    try (ArchiveStore store = open()) {
      store.migrate();
    }
    String varchar = postgres ? "character varying" : "varchar";
    String json = postgres ? "json" : "longtext"; // MariaDB's json is longtext + json_valid
    String ts = postgres ? "timestamp without time zone" : "timestamp";
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("uid", varchar + "(128) not null");
    expected.put("namespace", varchar + "(256) not null");
    expected.put("creationtimestamp", ts + " null");
    expected.put("clustername", varchar + "(64) not null");
    expected.put("version", varchar + "(64) not null");
    expected.put("nodes", json + " not null");
    expected.put("updatedat", ts + " not null");
    Map<String, String> actual = offloadColumns();
    if (!postgres && "json".equals(actual.get("nodes"))) {
      expected.put("nodes", "json not null"); // MySQL proper
    }
    assertThat(actual).containsExactlyEntriesOf(expected);
    if (postgres) {
      assertThat(offloadKeyAndIndex()).containsExactly(
          "argo_workflows_i1 CREATE INDEX argo_workflows_i1 ON argo_workflows USING btree"
              + " (clustername, namespace, updatedat)",
          "argo_workflows_pkey CREATE UNIQUE INDEX argo_workflows_pkey ON argo_workflows USING"
              + " btree (clustername, uid, version)");
    } else {
      assertThat(offloadKeyAndIndex()).containsExactlyInAnyOrder(
          "PRIMARY clustername,uid,version", "argo_workflows_i1 clustername,namespace,updatedat");
    }
  }

  @Test
  void migrate_adoptingLeavesAnExistingOffloadTableAlone() throws SQLException {
    createArgoSchema(68, "varchar(63)", true);
    // As an Argo before v3.7.1 left it: no creationtimestamp column, and a row in use.
    sql("CREATE TABLE argo_workflows (uid varchar(128) NOT NULL, namespace varchar(256) NOT NULL,"
        + " clustername varchar(64) NOT NULL, version varchar(64) NOT NULL, nodes json NOT NULL,"
        + " updatedat timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,"
        + " PRIMARY KEY (clustername, uid, version))",
        "CREATE INDEX argo_workflows_i1 ON argo_workflows (clustername, namespace, updatedat)",
        "INSERT INTO argo_workflows (clustername, uid, version, namespace, nodes) VALUES"
        + " ('default', 'u1', 'fnv:1', 'argo', '{\"n\":{}}')");
    Map<String, String> before = offloadColumns();
    try (ArchiveStore store = open()) {
      assertThat(store.migrate().adopted()).isTrue();
    }
    assertThat(offloadColumns()).isEqualTo(before).doesNotContainKey("creationtimestamp");
    assertThat(one("SELECT nodes FROM argo_workflows WHERE uid = 'u1'")).isEqualTo("{\"n\":{}}");
  }

  @Test
  void migrate_refusesASchemaAheadOfStep68AndChangesNothing() throws SQLException {
    createArgoSchema(69, "varchar(63)", true);
    assertThatMigrateRefuses().hasMessageContaining("step 69, ahead of step 68");
    assertThat(one("SELECT count(*) FROM information_schema.tables WHERE table_name ="
        + " 'archivist_schema_history' AND table_schema = "
        + (postgres ? "current_schema()" : "database()"))).isEqualTo("0");
  }

  @Test
  void migrate_refusesASchemaBehindStep68() throws SQLException {
    createArgoSchema(60, "varchar(63)", true);
    assertThatMigrateRefuses().hasMessageContaining("step 60, behind step 68");
  }

  @Test
  void migrate_refusesTablesThatDifferNamingEveryDifference() throws SQLException {
    createArgoSchema(68, "varchar(100)", false);
    assertThatMigrateRefuses()
        .hasMessageContaining("argo_archived_workflows_labels.value is varchar(100) not null,"
            + " expected varchar(63) not null")
        .hasMessageContaining("index argo_archived_workflows_i5 is missing");
    assertThat(one("SELECT count(*) FROM argo_archived_workflows")).isEqualTo("1");
  }

  @Test
  void migrate_refusesArgoTablesWithoutSchemaHistory() throws SQLException {
    createArgoSchema(68, "varchar(63)", true);
    sql("DROP TABLE schema_history");
    assertThatMigrateRefuses()
        .hasMessageContaining("schema_history has no version")
        .hasMessageContaining("table schema_history is missing");
  }

  @Test
  void migrate_createsArgosTablesBesideUnrelatedOnes() throws SQLException {
    sql("CREATE TABLE unrelated (id int)");
    try (ArchiveStore store = open()) {
      MigrationResult r = store.migrate();
      assertThat(r.adopted()).isFalse();
      assertThat(r.appliedMigrations()).isEqualTo(4);
      assertThat(one("SELECT schema_version FROM schema_history")).isEqualTo("68");
      assertThat(store.list(ListQuery.all()).items()).isEmpty();
    }
  }

  @Test
  void migrate_acceptsAMigrationAppliedBeforeItsCommentsChanged() throws SQLException {
    SchemaMigrator.CommentEdit edit = SchemaMigrator.commentEdits(
        postgres ? Dialect.POSTGRESQL : Dialect.MYSQL).get(0);
    try (ArchiveStore store = open()) {
      store.migrate();
    }
    String checksum = "SELECT checksum FROM archivist_schema_history WHERE version = '"
        + edit.version() + "'";
    assertThat(one(checksum)).isEqualTo(String.valueOf(edit.after()));
    sql("UPDATE archivist_schema_history SET checksum = " + edit.before() + " WHERE version = '"
        + edit.version() + "'");

    try (ArchiveStore store = open()) {
      assertThat(store.migrate().appliedMigrations()).isZero();
    }
    assertThat(one(checksum)).isEqualTo(String.valueOf(edit.after()));
  }

  @Test
  void migrate_stillRefusesAMigrationWhoseChecksumIsNeitherOldNorNew() throws SQLException {
    try (ArchiveStore store = open()) {
      store.migrate();
    }
    sql("UPDATE archivist_schema_history SET checksum = 12345 WHERE version = '10'");

    assertThatMigrateRefuses().hasMessageContaining(
        "Migration checksum mismatch for migration version 10 -> Applied to database : 12345");
    assertThat(one("SELECT checksum FROM archivist_schema_history WHERE version = '10'"))
        .isEqualTo("12345");
  }
}
