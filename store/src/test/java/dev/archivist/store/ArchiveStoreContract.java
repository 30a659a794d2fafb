package dev.archivist.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.archivist.core.LabelSelector;
import dev.archivist.core.Operator;
import dev.archivist.core.Requirement;
import dev.archivist.testing.Fixtures;
import dev.archivist.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The archive's behaviour, run against each real database by a subclass that registers that
 * database's extension.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ArchiveStoreContract {
  static final String PERSISTED = "workflows.argoproj.io/workflow-archiving-status";

  TestDatabase db;
  ArchiveStore store;

  @BeforeAll
  void open(TestDatabase db) {
    this.db = db;
    store = ArchiveStore.open(config());
    MigrationResult r = store.migrate();
    assertThat(r.adopted()).isFalse();
    assertThat(r.argoSchemaVersion()).isEqualTo(68);
  }

  StoreConfig config() {
    return new StoreConfig(db.jdbcUrl(), null, null, "default", "", 8, Duration.ofSeconds(5),
        Duration.ofSeconds(30));
  }

  @AfterAll
  void close() {
    if (store != null) {
      store.close();
    }
  }

  @BeforeEach
  void empty() throws SQLException {
    db.deleteAll("argo_archived_workflows_labels", "argo_archived_workflows");
  }

  long count(String sql) throws SQLException {
    return db.column(Long.class, sql).get(0);
  }

  static Instant t(int minutes) {
    return Instant.parse("2025-01-01T00:00:00Z").plusSeconds(60L * minutes);
  }

  static List<String> uids(Page p) {
    return p.items().stream().map(i -> i.at("/metadata/uid").stringValue())
        .collect(Collectors.toList());
  }

  static void assertAllWritten(BatchResult r) {
    assertThat(r.outcomes()).allMatch(o -> o instanceof BatchResult.Written, "all written");
  }

  // ---- migration ----

  @Test
  void migrate_isIdempotentAndLeavesArgoStep68() throws SQLException {
    MigrationResult again = store.migrate();
    assertThat(again.appliedMigrations()).isZero();
    assertThat(again.dialect()).isEqualTo(store.dialect());
    assertThat(count("SELECT count(*) FROM schema_history WHERE schema_version = 68"))
        .isEqualTo(1);
    try (Connection c = db.connect()) {
      SchemaInspector.Findings f = SchemaInspector.inspect(c,
          Dialect.fromJdbcUrl(db.jdbcUrl()));
      assertThat(f.differences()).isEmpty();
      assertThat(f.argoSchemaVersion()).isEqualTo(68);
    }
  }

  // ---- writing ----

  @Test
  void archive_roundTripsEveryFixture() throws Exception {
    YAMLMapper yaml = YAMLMapper.builder().build();
    List<Path> files = new ArrayList<>(Fixtures.yamlFiles("argo"));
    files.addAll(Fixtures.yamlFiles("kfp"));
    List<WorkflowDocument> docs = new ArrayList<>();
    int i = 0;
    for (Path f : files) {
      ObjectNode wf = (ObjectNode) yaml.readTree(f.toFile());
      completeForArchiving(wf, f, i++);
      docs.add(WorkflowDocuments.fromWorkflow(wf, TestWorkflows.NOW));
    }
    assertAllWritten(store.archive(docs));
    for (WorkflowDocument d : docs) {
      ObjectNode back = store.get(d.uid()).orElseThrow();
      assertThat(back).as(d.name()).isEqualTo(TestWorkflows.JSON.readTree(d.json()));
      assertThat(back.at("/metadata/labels").get(PERSISTED).stringValue()).isEqualTo("Persisted");
    }
    Page page = store.list(ListQuery.all());
    assertThat(uids(page)).containsExactlyInAnyOrderElementsOf(
        docs.stream().map(WorkflowDocument::uid).collect(Collectors.toList()));
  }

  /**
   * Most fixtures are mid-run snapshots or bare specs: give them what a completed workflow has
   * (identity where missing, phase, finishedAt, the completed label), as the README says.
   */
  private static void completeForArchiving(ObjectNode wf, Path file, int i) {
    ObjectNode md = (ObjectNode) wf.get("metadata");
    if (!md.has("uid")) {
      assertThatThrownBy(() -> WorkflowDocuments.fromWorkflow(wf, TestWorkflows.NOW))
          .isInstanceOf(MalformedWorkflowException.class).hasMessageContaining("metadata.uid");
      md.put("uid", "fixture-" + i + "-" + file.getFileName());
    }
    if (!md.has("name")) {
      md.put("name", md.path("generateName").asString("fixture-") + i);
    }
    if (!md.has("namespace")) {
      md.put("namespace", "fixtures");
    }
    ObjectNode labels = md.has("labels") ? (ObjectNode) md.get("labels") : md.putObject("labels");
    labels.put("workflows.argoproj.io/completed", "true");
    ObjectNode status = wf.has("status") && wf.get("status").isObject()
        ? (ObjectNode) wf.get("status") : wf.putObject("status");
    String phase = status.path("phase").asString("");
    if (!phase.equals("Succeeded") && !phase.equals("Failed") && !phase.equals("Error")) {
      status.put("phase", "Succeeded");
    }
    if (!status.hasNonNull("startedAt")) {
      status.put("startedAt", "2024-05-01T10:00:00Z");
    }
    if (!status.hasNonNull("finishedAt")) {
      status.put("finishedAt", "2024-05-01T10:05:00Z");
    }
  }

  @Test
  void archive_twiceKeepsOneRowAndReplacesLabels() throws SQLException {
    WorkflowDocument v1 = TestWorkflows.document("u1", "ns", "wf", Map.of("a", "1", "b", "1"),
        t(0), 0);
    WorkflowDocument v2 = TestWorkflows.document("u1", "ns", "wf", Map.of("a", "2", "c", "2"),
        t(0), 0);
    assertAllWritten(store.archive(List.of(v1)));
    assertAllWritten(store.archive(List.of(v1)));
    assertAllWritten(store.archive(List.of(v2)));
    assertThat(count("SELECT count(*) FROM argo_archived_workflows")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM argo_archived_workflows_labels WHERE uid = 'u1'"))
        .isEqualTo(v2.labels().size());
    assertThat(count("SELECT count(*) FROM argo_archived_workflows_labels WHERE name = 'b'"))
        .isZero();
    assertThat(count("SELECT count(*) FROM argo_archived_workflows_labels"
        + " WHERE name = 'a' AND value = '2'")).isEqualTo(1);
    assertThat(store.get("u1").orElseThrow().at("/metadata/labels/c").stringValue())
        .isEqualTo("2");

    // A batch mixing a row that exists with new ones: only the existing row's labels change.
    WorkflowDocument v3 = TestWorkflows.document("u1", "ns", "wf", Map.of("d", "3"), t(0), 0);
    WorkflowDocument fresh = TestWorkflows.document("u2", "ns", "wf2", Map.of("e", "4"), t(1), 0);
    assertAllWritten(store.archive(List.of(fresh, v3)));
    assertThat(count("SELECT count(*) FROM argo_archived_workflows")).isEqualTo(2);
    assertThat(count("SELECT count(*) FROM argo_archived_workflows_labels WHERE uid = 'u1'"))
        .isEqualTo(v3.labels().size());
    assertThat(count("SELECT count(*) FROM argo_archived_workflows_labels"
        + " WHERE uid = 'u1' AND name IN ('a', 'c')")).isZero();
    assertThat(count("SELECT count(*) FROM argo_archived_workflows_labels WHERE uid = 'u2'"))
        .isEqualTo(fresh.labels().size());
  }

  @Test
  void archive_sameUidTwiceInOneBatchKeepsTheLastAndReportsBoth() {
    WorkflowDocument a = TestWorkflows.document("dup", "ns", "first", Map.of(), t(0), 0);
    WorkflowDocument b = TestWorkflows.document("dup", "ns", "second", Map.of(), t(0), 0);
    BatchResult r = store.archive(List.of(a, b));
    assertThat(r.outcomes()).hasSize(2);
    assertAllWritten(r);
    assertThat(store.get("dup").orElseThrow().at("/metadata/name").stringValue())
        .isEqualTo("second");
  }

  /** A snapshot of workflow {@code uid} that completed at {@code finishedAt}. */
  static WorkflowDocument completion(String uid, Instant finishedAt, String version) {
    ObjectNode wf = TestWorkflows.workflow(uid, "ns", "wf-" + uid, Map.of("version", version),
        t(0), 0);
    ((ObjectNode) wf.get("status")).put("finishedAt", finishedAt.toString());
    return WorkflowDocuments.fromWorkflow(wf, TestWorkflows.NOW);
  }

  /** The version label of the stored row (from the JSON) and of its label rows. */
  String storedVersion(String uid) throws SQLException {
    String fromJson = store.get(uid).orElseThrow().at("/metadata/labels/version").stringValue();
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT value FROM argo_archived_workflows_labels"
            + " WHERE uid = '" + uid + "' AND name = 'version'")) {
      assertThat(rs.next()).as("a version label row for %s", uid).isTrue();
      String fromLabels = rs.getString(1);
      assertThat(rs.next()).as("one version label row for %s", uid).isFalse();
      assertThat(fromLabels).as("label rows agree with the JSON").isEqualTo(fromJson);
    }
    return fromJson;
  }

  @Test
  void archive_olderCompletionNeverReplacesALaterOne() throws SQLException {
    assertAllWritten(store.archive(List.of(completion("r1", t(10), "second"))));

    BatchResult stale = store.archive(List.of(completion("r1", t(5), "first")));

    assertThat(stale.outcomes()).containsExactly(new BatchResult.Superseded("r1"));
    assertThat(storedVersion("r1")).isEqualTo("second");
    assertThat(count("SELECT count(*) FROM argo_archived_workflows_labels WHERE uid = 'r1'"))
        .isEqualTo(completion("r1", t(10), "second").labels().size());

    // The same completion again replaces the row (an idempotent re-archive), a later one too.
    assertAllWritten(store.archive(List.of(completion("r1", t(10), "again"))));
    assertThat(storedVersion("r1")).isEqualTo("again");
    assertAllWritten(store.archive(List.of(completion("r1", t(20), "third"))));
    assertThat(storedVersion("r1")).isEqualTo("third");
    assertThat(count("SELECT count(*) FROM argo_archived_workflows")).isEqualTo(1);
  }

  @Test
  void archive_batchMixingStaleAndNewRowsReportsEachInOrder() throws SQLException {
    assertAllWritten(store.archive(List.of(completion("m1", t(10), "kept"),
        completion("m3", t(10), "old"))));

    BatchResult r = store.archive(List.of(completion("m1", t(9), "stale"),
        completion("m2", t(9), "new"), completion("m3", t(11), "newer")));

    assertThat(r.outcomes()).containsExactly(new BatchResult.Superseded("m1"),
        new BatchResult.Written("m2"), new BatchResult.Written("m3"));
    assertThat(storedVersion("m1")).isEqualTo("kept");
    assertThat(storedVersion("m2")).isEqualTo("new");
    assertThat(storedVersion("m3")).isEqualTo("newer");
  }

  @Test
  void archive_sameUidTwiceInOneBatchKeepsTheLaterCompletion() throws SQLException {
    BatchResult r = store.archive(List.of(completion("d2", t(10), "later"),
        completion("d2", t(5), "earlier")));
    assertThat(r.outcomes()).hasSize(2);
    assertAllWritten(r);
    assertThat(storedVersion("d2")).isEqualTo("later");
  }

  /**
   * The SQL counting the transactions that wait for a lock held by the session whose id it
   * takes as its one parameter, and the SQL giving a session its id.
   */
  abstract String lockWaitersSql();

  abstract String sessionIdSql();

  long waitersOn(long session) throws SQLException {
    return db.column(Long.class, lockWaitersSql(), session).get(0);
  }

  /**
   * A writer that holds the newer row uncommitted: the older snapshot waits for its lock, and
   * then, seeing the committed row, leaves it alone. The decision is the database's, under the
   * row lock, whatever the order in which the two transactions started.
   */
  @Test
  void archive_olderSnapshotWaitingOnTheNewerWritersLockLeavesItsRow() throws Exception {
    ExecutorService thread = Executors.newSingleThreadExecutor();
    try (Connection newer = db.connect()) {
      long session;
      try (Statement st = newer.createStatement(); ResultSet rs = st.executeQuery(sessionIdSql())) {
        rs.next();
        session = rs.getLong(1);
      }
      newer.setAutoCommit(false);
      try (java.sql.PreparedStatement ps = newer.prepareStatement("INSERT INTO"
          + " argo_archived_workflows (clustername, uid, name, phase, namespace, workflow,"
          + " startedat, finishedat, instanceid, creationtimestamp)"
          + " VALUES ('default', 'lk', 'wf-lk', 'Succeeded', 'ns', '{\"newer\": true}',"
          + " ?, ?, '', ?)")) {
        ps.setObject(1, LocalDateTime.ofInstant(t(0), ZoneOffset.UTC));
        ps.setObject(2, LocalDateTime.ofInstant(t(10), ZoneOffset.UTC));
        ps.setObject(3, LocalDateTime.ofInstant(t(0), ZoneOffset.UTC));
        ps.executeUpdate();
      }
      Future<BatchResult> late = thread.submit(() ->
          store.archive(List.of(completion("lk", t(5), "late"))));
      Awaitility.await().atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> waitersOn(session) > 0 || late.isDone());
      assertThat(late.isDone()).as("the older snapshot waits for the newer row's lock").isFalse();
      newer.commit();

      assertThat(late.get(30, java.util.concurrent.TimeUnit.SECONDS).outcomes())
          .containsExactly(new BatchResult.Superseded("lk"));
    } finally {
      thread.shutdownNow();
    }
    assertThat(store.get("lk").orElseThrow().path("newer").asBoolean()).isTrue();
    assertThat(count("SELECT count(*) FROM argo_archived_workflows_labels WHERE uid = 'lk'"))
        .isZero();
  }

  /** Locks {@code table} against every other session until the transaction ends. */
  abstract String lockTableSql(String table);

  /**
   * A read that waits past the statement timeout ({@code --db-statement-timeout}) fails with the
   * store's error instead of holding its worker: here it waits for a lock on the table.
   */
  @Test
  void statementTimeout_aReadWaitingPastIt_failsInsteadOfWaiting() throws Exception {
    ExecutorService thread = Executors.newSingleThreadExecutor();
    StoreConfig oneSecond = config().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(1));
    try (ArchiveStore bounded = ArchiveStore.open(oneSecond); Connection holder = db.connect()) {
      bounded.get("warm-up");
      holder.setAutoCommit(false);
      try (Statement st = holder.createStatement()) {
        st.execute(lockTableSql(ArchiveSchema.WORKFLOWS));
      }
      Future<?> read = thread.submit(() -> bounded.get("to"));

      Throwable thrown = catchThrowable(() -> read.get(30, TimeUnit.SECONDS));
      holder.rollback();
      try (Statement st = holder.createStatement()) {
        st.execute(unlockTablesSql());
      }
      assertThat(thrown).isInstanceOf(ExecutionException.class)
          .cause().isInstanceOf(ArchiveStoreException.class)
          .hasMessageContaining("get to");
    } finally {
      thread.shutdownNow();
    }
  }

  /**
   * Migrations are not bounded by the statement timeout: a migration on a large archive may run
   * for minutes. Here one waits on a lock on the schema history for three times the timeout, and
   * completes once the lock is gone.
   */
  @Test
  void migrate_isNotBoundedByTheStatementTimeout() throws Exception {
    ExecutorService thread = Executors.newSingleThreadExecutor();
    StoreConfig oneSecond = config().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(1));
    try (ArchiveStore bounded = ArchiveStore.open(oneSecond); Connection holder = db.connect()) {
      holder.setAutoCommit(false);
      try (Statement st = holder.createStatement()) {
        st.execute(lockTableSql(SchemaInspector.FLYWAY_TABLE));
      }
      Future<MigrationResult> migrate = thread.submit(bounded::migrate);
      // Bounded, it would fail after one second; unbounded, it is still waiting after three.
      Throwable stoppedWaiting = catchThrowable(() -> Awaitility.await()
          .during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(50)).until(() -> !migrate.isDone()));
      holder.rollback();
      try (Statement st = holder.createStatement()) {
        st.execute(unlockTablesSql());
      }
      assertThat(stoppedWaiting)
          .as("migrate still waiting on the lock after three statement timeouts").isNull();
      assertThat(migrate.get(30, TimeUnit.SECONDS).argoSchemaVersion()).isEqualTo(68);
    } finally {
      thread.shutdownNow();
    }
  }

  /** What ends {@link #lockTableSql} besides the transaction's end ("SELECT 1" if nothing). */
  String unlockTablesSql() {
    return "SELECT 1";
  }

  @Test
  void archive_storesTimestampsInUtc() throws SQLException {
    Instant started = Instant.parse("2025-06-01T12:34:56Z");
    store.archive(List.of(TestWorkflows.document("utc", "ns", "wf", Map.of(), started, 0)));
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(
            "SELECT startedat FROM argo_archived_workflows WHERE uid = 'utc'")) {
      rs.next();
      // Read through a non-UTC JVM zone would shift it; the column holds the UTC wall time.
      assertThat(rs.getObject(1, LocalDateTime.class))
          .isEqualTo(LocalDateTime.ofInstant(started, ZoneOffset.UTC));
    }
  }

  @Test
  void archive_rejectedRowsFailAloneWithTheirReason() {
    WorkflowDocument good1 = TestWorkflows.document("g1", t(1));
    WorkflowDocument longLabel = TestWorkflows.document("bad-label", "ns", "wf",
        Map.of("k", "v".repeat(64)), t(2), 0);
    WorkflowDocument longPhase = new WorkflowDocument("bad-phase", "wf", "ns",
        "P".repeat(26), t(3), t(3), t(3), Map.of(), "{}");
    // Not JSON at all: only the database can tell, which exercises the savepoint path.
    WorkflowDocument notJson = new WorkflowDocument("bad-json", "wf", "ns", "Succeeded", t(4),
        t(4), t(4), Map.of(), "{not json");
    WorkflowDocument good2 = TestWorkflows.document("g2", t(5));
    BatchResult r = store.archive(List.of(good1, longLabel, longPhase, notJson, good2));
    assertThat(r.outcomes()).extracting(BatchResult.RowOutcome::uid)
        .containsExactly("g1", "bad-label", "bad-phase", "bad-json", "g2");
    assertThat(r.outcomes().get(0)).isInstanceOf(BatchResult.Written.class);
    assertThat(r.outcomes().get(4)).isInstanceOf(BatchResult.Written.class);
    assertThat(((BatchResult.Rejected) r.outcomes().get(1)).reason())
        .contains("value of label k is 64 characters");
    assertThat(((BatchResult.Rejected) r.outcomes().get(2)).reason())
        .contains("status.phase is 26 characters");
    BatchResult.Rejected json = (BatchResult.Rejected) r.outcomes().get(3);
    assertThat(json.reason()).startsWith("the database refused the row");
    assertThat(json.sqlState()).isNotNull();
    assertThat(store.exists("g1")).isTrue();
    assertThat(store.exists("g2")).isTrue();
    assertThat(store.exists("bad-json")).isFalse();

    BatchResult alone = store.archive(List.of(notJson));
    assertThat(alone.outcomes().get(0)).isInstanceOf(BatchResult.Rejected.class);
  }

  @Test
  void archive_largeWorkflowsAndNulCharactersRoundTrip() {
    ObjectNode big = TestWorkflows.workflow("big", "ns", "big", Map.of(), t(0), 1_500_000);
    ObjectNode nul = TestWorkflows.workflow("nul", "ns", "nul", Map.of(), t(1), 0);
    ((ObjectNode) nul.get("status")).put("message", "before\u0000after");
    ((ObjectNode) nul.get("spec")).put("literal", "\\u0000 is not a NUL");
    WorkflowDocument bigDoc = WorkflowDocuments.fromWorkflow(big, TestWorkflows.NOW);
    assertThat(bigDoc.json().length()).isGreaterThan(1_000_000);
    assertAllWritten(store.archive(List.of(bigDoc,
        WorkflowDocuments.fromWorkflow(nul, TestWorkflows.NOW))));
    assertThat(store.get("big").orElseThrow().at("/status/nodes").size())
        .isEqualTo(big.at("/status/nodes").size());
    ObjectNode back = store.get("nul").orElseThrow();
    assertThat(back.at("/status/message").stringValue()).isEqualTo("before\u0000after");
    assertThat(back.at("/spec/literal").stringValue()).isEqualTo("\\u0000 is not a NUL");
    assertThat(store.list(ListQuery.all()).items()).hasSize(2);
  }

  @Test
  void archive_concurrentOverlappingBatchesNeverSurfaceADeadlock() throws Exception {
    List<String> pool = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      pool.add(String.format("c-%03d", i));
    }
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Integer>> tasks = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        int worker = w;
        tasks.add(() -> {
          Random random = new Random(worker);
          int written = 0;
          for (int b = 0; b < 8; b++) {
            List<String> picked = new ArrayList<>(pool);
            Collections.shuffle(picked, random);
            List<WorkflowDocument> batch = new ArrayList<>();
            for (String uid : picked.subList(0, 40)) {
              // One completion time for all: every version replaces the row, so every batch
              // writes all its rows and contends for all their locks.
              batch.add(TestWorkflows.document(uid, "ns", uid,
                  Map.of("writer", "w" + worker, "batch", "b" + b), t(0), 200));
            }
            BatchResult r = store.archive(batch);
            assertAllWritten(r);
            written += r.outcomes().size();
          }
          return written;
        });
      }
      for (Future<Integer> f : threads.invokeAll(tasks)) {
        assertThat(f.get()).isEqualTo(8 * 40);
      }
    } finally {
      threads.shutdownNow();
    }
    long rows = count("SELECT count(*) FROM argo_archived_workflows");
    assertThat(rows).isEqualTo(60);
    // Every row has exactly one version's labels: the two test labels plus three standard ones.
    assertThat(count("SELECT count(*) FROM argo_archived_workflows_labels")).isEqualTo(rows * 5);
  }

  // ---- reading ----

  @Test
  void list_everySelectorOperatorAgreesWithInMemoryMatching() {
    Random random = new Random(42);
    List<WorkflowDocument> docs = new ArrayList<>();
    String[] apps = {"web", "db", "cache"};
    String[] tiers = {"1", "2", "3", "10", "x"};
    for (int i = 0; i < 120; i++) {
      Map<String, String> labels = new HashMap<>();
      if (random.nextInt(4) > 0) {
        labels.put("app", apps[random.nextInt(apps.length)]);
      }
      if (random.nextInt(3) > 0) {
        labels.put("example.com/tier", tiers[random.nextInt(tiers.length)]);
      }
      if (random.nextBoolean()) {
        labels.put("env", random.nextBoolean() ? "prod" : "");
      }
      docs.add(TestWorkflows.document(String.format("s-%03d", i), "ns", "wf" + i, labels,
          t(i), 0));
    }
    assertAllWritten(store.archive(docs));
    List<String> selectors = List.of("app", "!app", "app=web", "app==db", "app!=web",
        "app in (web,cache)", "app notin (web,cache)", "example.com/tier gt 2",
        "example.com/tier lt 3", "example.com/tier>1,app=db", "env=", "env!=", "env in (,prod)",
        "app,!env,example.com/tier notin (x)", "app in ()", "nope", "!nope",
        PERSISTED + "=Persisted");
    for (String s : selectors) {
      LabelSelector selector = LabelSelector.parse(s);
      Set<String> expected = docs.stream().filter(d -> selector.matches(d.labels()))
          .map(WorkflowDocument::uid).collect(Collectors.toCollection(TreeSet::new));
      ListQuery q = new ListQuery(null, null, NameFilter.EXACT, selector, null, null, 1000, null);
      assertThat(new TreeSet<>(uids(store.list(q)))).as(s).isEqualTo(expected);
    }
  }

  @Test
  void list_filtersByNamespaceNameAndStartedAt() {
    store.archive(List.of(
        TestWorkflows.document("f1", "team-a", "build-main", Map.of(), t(1), 0),
        TestWorkflows.document("f2", "team-a", "build_x", Map.of(), t(2), 0),
        TestWorkflows.document("f3", "team-b", "deploy-main", Map.of(), t(3), 0),
        TestWorkflows.document("f4", "team-b", "buildxx", Map.of(), t(4), 0)));
    assertThat(uids(store.list(new ListQuery("team-a", null, null, LabelSelector.everything(),
        null, null, 0, null)))).containsExactly("f2", "f1");
    assertThat(uids(store.list(new ListQuery(null, "build-main", NameFilter.EXACT,
        LabelSelector.everything(), null, null, 0, null)))).containsExactly("f1");
    assertThat(uids(store.list(new ListQuery(null, "build", NameFilter.PREFIX,
        LabelSelector.everything(), null, null, 0, null)))).containsExactly("f4", "f2", "f1");
    // '_' is data, not a LIKE wildcard: "build_" matches build_x only, not buildxx.
    assertThat(uids(store.list(new ListQuery(null, "build_", NameFilter.PREFIX,
        LabelSelector.everything(), null, null, 0, null)))).containsExactly("f2");
    assertThat(uids(store.list(new ListQuery(null, "main", NameFilter.CONTAINS,
        LabelSelector.everything(), null, null, 0, null)))).containsExactly("f3", "f1");
    assertThat(uids(store.list(new ListQuery(null, null, null, LabelSelector.everything(),
        t(1), t(4), 0, null)))).as("both bounds included, as in Argo")
        .containsExactly("f4", "f3", "f2", "f1");
    assertThat(uids(store.list(new ListQuery(null, null, null, LabelSelector.everything(),
        t(2), t(3), 0, null)))).containsExactly("f3", "f2");
  }

  @Test
  void list_itemsArePartialAsArgosList() {
    store.archive(List.of(TestWorkflows.document("p1", "ns", "wf", Map.of("app", "x"), t(0),
        5000)));
    ObjectNode item = store.list(ListQuery.all()).items().get(0);
    assertThat(item.at("/metadata/name").stringValue()).isEqualTo("wf");
    assertThat(item.at("/metadata/namespace").stringValue()).isEqualTo("ns");
    assertThat(item.at("/metadata/uid").stringValue()).isEqualTo("p1");
    assertThat(item.at("/metadata/creationTimestamp").stringValue())
        .isEqualTo("2024-12-31T23:59:55Z");
    assertThat(item.at("/metadata/labels/app").stringValue()).isEqualTo("x");
    assertThat(item.at("/metadata/labels").get(PERSISTED).stringValue()).isEqualTo("Persisted");
    assertThat(item.at("/metadata/annotations/example.com~1owner").stringValue())
        .isEqualTo("team-ns");
    assertThat(item.at("/spec/arguments/parameters/0/value").stringValue())
        .isEqualTo("hello wf");
    assertThat(item.at("/status/phase").stringValue()).isEqualTo("Succeeded");
    assertThat(item.at("/status/startedAt").stringValue()).isEqualTo("2025-01-01T00:00:00Z");
    assertThat(item.at("/status/finishedAt").stringValue()).isEqualTo("2025-01-01T00:01:00Z");
    assertThat(item.at("/status/progress").stringValue()).isEqualTo("1/1");
    assertThat(item.at("/status/message").stringValue()).isEqualTo("done");
    assertThat(item.at("/status/nodes").isMissingNode()).as("no nodes in a list item").isTrue();
    assertThat(item.at("/spec/entrypoint").isMissingNode()).isTrue();
    assertThat(item.at("/spec/suspend").isMissingNode()).as("absent when unset").isTrue();
    assertThat(item.at("/status/estimatedDuration").isMissingNode()).isTrue();
    assertThat(item.at("/status/resourcesDuration").isMissingNode()).isTrue();
  }

  /** Argo's list also carries these three, which its UI shows. */
  @Test
  void list_itemsCarrySuspendEstimatedAndResourcesDurationWhenSet() {
    ObjectNode wf = TestWorkflows.workflow("p2", "ns", "wf2", Map.of(), t(0), 0);
    ((ObjectNode) wf.get("spec")).put("suspend", true);
    ObjectNode status = (ObjectNode) wf.get("status");
    status.put("estimatedDuration", 42);
    status.putObject("resourcesDuration").put("cpu", 7).put("memory", 31);
    store.archive(List.of(WorkflowDocuments.fromWorkflow(wf, TestWorkflows.NOW)));
    ObjectNode item = store.list(ListQuery.all()).items().get(0);
    assertThat(item.at("/spec/suspend").booleanValue()).isTrue();
    assertThat(item.at("/status/estimatedDuration").intValue()).isEqualTo(42);
    assertThat(item.at("/status/resourcesDuration/cpu").intValue()).isEqualTo(7);
    assertThat(item.at("/status/resourcesDuration/memory").intValue()).isEqualTo(31);
  }

  @Test
  void list_limitDefaultsTo50AndIsCappedAt1000() {
    List<WorkflowDocument> docs = new ArrayList<>();
    for (int i = 0; i < 1005; i++) {
      docs.add(TestWorkflows.document(String.format("l-%04d", i), t(i)));
    }
    assertAllWritten(store.archive(docs));
    assertThat(store.list(ListQuery.all()).items()).hasSize(50);
    Page capped = store.list(new ListQuery(null, null, null, LabelSelector.everything(), null,
        null, 5000, null));
    assertThat(capped.items()).hasSize(1000);
    assertThat(capped.continueToken()).isNotNull();
  }

  @Test
  void list_keysetPagingWhileInsertingHasNoDuplicatesAndNoGaps() {
    List<WorkflowDocument> docs = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      // Pairs share a startedAt so that the uid tie-break matters.
      docs.add(TestWorkflows.document(String.format("k-%05d", i), t(i / 2)));
    }
    for (int i = 0; i < docs.size(); i += 1000) {
      assertAllWritten(store.archive(docs.subList(i, i + 1000)));
    }
    Random random = new Random(7);
    List<String> seen = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      Page page = store.list(new ListQuery(null, null, null, LabelSelector.everything(), null,
          null, 500, token));
      seen.addAll(uids(page));
      token = page.continueToken();
      // Meanwhile, rows arrive: newer than everything, and in the middle of the range.
      List<WorkflowDocument> arriving = new ArrayList<>();
      for (int j = 0; j < 50; j++) {
        arriving.add(TestWorkflows.document(String.format("n-%02d-%02d", pages, j),
            t(random.nextInt(6000))));
      }
      store.archive(arriving);
      pages++;
    } while (token != null);
    assertThat(new HashSet<>(seen)).as("no duplicates").hasSize(seen.size());
    assertThat(seen).as("no gaps").containsAll(
        docs.stream().map(WorkflowDocument::uid).collect(Collectors.toList()));
    // The order is (startedat desc, uid desc) throughout.
    List<String> preExisting = seen.stream().filter(u -> u.startsWith("k-"))
        .collect(Collectors.toList());
    List<String> sorted = new ArrayList<>(preExisting);
    sorted.sort(Collections.reverseOrder());
    assertThat(preExisting).isEqualTo(sorted);
  }

  @Test
  void list_integerContinueIsAnOffsetForArgoClients() {
    List<WorkflowDocument> docs = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      docs.add(TestWorkflows.document(String.format("o-%02d", i), t(i)));
    }
    store.archive(docs);
    Page second = store.list(new ListQuery(null, null, null, LabelSelector.everything(), null,
        null, 5, "5"));
    assertThat(uids(second)).containsExactly("o-06", "o-05", "o-04", "o-03", "o-02");
    assertThat(second.continueToken()).isEqualTo("10");
    Page last = store.list(new ListQuery(null, null, null, LabelSelector.everything(), null,
        null, 5, "10"));
    assertThat(uids(last)).containsExactly("o-01", "o-00");
    assertThat(last.continueToken()).isNull();
  }

  @Test
  void list_badContinueAndBadRequirementsAreClearErrors() {
    assertThatThrownBy(() -> store.list(new ListQuery(null, null, null,
        LabelSelector.everything(), null, null, 5, "garbage!")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("continue token");
    LabelSelector notInteger = LabelSelector.of(List.of(
        new Requirement("a", Operator.GREATER_THAN, List.of("x"))));
    assertThatThrownBy(() -> store.list(new ListQuery(null, null, null, notInteger, null, null,
        5, null))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs an integer");
  }

  @Test
  void list_injectionStringsAreData() throws SQLException {
    String evil = "x'; DROP TABLE argo_archived_workflows; --";
    store.archive(List.of(TestWorkflows.document("i1", "ns", "plain", Map.of(), t(0), 0)));
    // Requirements built directly bypass the parser's validation: values must still be data.
    LabelSelector selector = LabelSelector.of(List.of(
        new Requirement("a' OR '1'='1", Operator.DOES_NOT_EXIST, List.of()),
        new Requirement("b", Operator.NOT_IN, List.of(evil, "\\", "%"))));
    Page p = store.list(new ListQuery(evil, null, null, LabelSelector.everything(), null, null,
        0, null));
    assertThat(p.items()).isEmpty();
    assertThat(uids(store.list(new ListQuery(null, null, null, selector, null, null, 0, null))))
        .containsExactly("i1");
    assertThat(store.list(new ListQuery(null, "%", NameFilter.CONTAINS,
        LabelSelector.everything(), null, null, 0, null)).items()).isEmpty();
    assertThat(store.get(evil)).isEmpty();
    assertThat(store.delete(evil)).isFalse();
    assertThat(store.labelValues(evil)).isEmpty();
    assertThat(count("SELECT count(*) FROM argo_archived_workflows")).isEqualTo(1);
  }

  @Test
  void getLatestExistsDeleteAndLabelLookups() throws SQLException {
    store.archive(List.of(
        TestWorkflows.document("g-old", "ns", "same", Map.of("app", "a"), t(1), 0),
        TestWorkflows.document("g-new", "ns", "same", Map.of("app", "b"), t(9), 0),
        TestWorkflows.document("g-other", "ns2", "same", Map.of("tier", "1"), t(20), 0)));
    assertThat(store.getLatest("ns", "same").orElseThrow().at("/metadata/uid").stringValue())
        .isEqualTo("g-new");
    assertThat(store.getLatest("ns", "missing")).isEmpty();
    assertThat(store.exists("g-old")).isTrue();
    assertThat(store.exists("nope")).isFalse();
    assertThat(store.labelKeys()).containsExactly("app", "tier", "workflows.argoproj.io/completed",
        "workflows.argoproj.io/phase", PERSISTED);
    assertThat(store.labelValues("app")).containsExactly("a", "b");
    assertThat(store.delete("g-new")).isTrue();
    assertThat(store.delete("g-new")).isFalse();
    assertThat(count("SELECT count(*) FROM argo_archived_workflows_labels WHERE uid = 'g-new'"))
        .as("labels cascade").isZero();
    assertThat(store.labelValues("app")).containsExactly("a");
    assertThat(store.isReachable(Duration.ofSeconds(2))).isTrue();
  }

  @Test
  void namespaceSets_narrowListsLabelLookupsAndListNamespaces() {
    store.archive(List.of(
        TestWorkflows.document("n1", "team-a", "w", Map.of("app", "a"), t(1), 0),
        TestWorkflows.document("n2", "team-b", "w", Map.of("app", "b"), t(2), 0),
        TestWorkflows.document("n3", "team-c", "w", Map.of("tier", "1"), t(3), 0)));
    assertThat(store.namespaces()).containsExactly("team-a", "team-b", "team-c");
    ListQuery all = ListQuery.all();
    assertThat(uids(store.list(all.withNamespaces(Set.of("team-a", "team-c")))))
        .containsExactly("n3", "n1");
    assertThat(uids(store.list(all.withNamespaces(Set.of())))).as("an empty set").isEmpty();
    assertThat(uids(store.list(new ListQuery("team-b", null, null, LabelSelector.everything(),
        null, null, 0, null, Set.of("team-a"))))).as("namespace outside the set").isEmpty();
    assertThat(store.labelKeys(Set.of("team-a"))).contains("app").doesNotContain("tier");
    assertThat(store.labelKeys(Set.of())).isEmpty();
    assertThat(store.labelValues("app", Set.of("team-b", "team-c"))).containsExactly("b");
    assertThat(store.labelValues("app", Set.of())).isEmpty();
  }

  @Test
  void scope_otherClusterNamesAndInstanceIdsAreInvisible() {
    store.archive(List.of(TestWorkflows.document("mine", t(0))));
    try (ArchiveStore other = ArchiveStore.open(config().withScope("default", "other-id"))) {
      other.archive(List.of(TestWorkflows.document("theirs", t(1))));
      assertThat(uids(other.list(ListQuery.all()))).containsExactly("theirs");
      assertThat(other.get("mine")).isEmpty();
      assertThat(other.delete("mine")).isFalse();
    }
    assertThat(uids(store.list(ListQuery.all()))).containsExactly("mine");
  }

  @Test
  void deleteFinishedBefore_deletesInBoundedBatchesWithinScope() throws SQLException {
    List<WorkflowDocument> docs = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      docs.add(TestWorkflows.document(String.format("r-%02d", i), t(i * 10)));
    }
    store.archive(docs);
    try (ArchiveStore other = ArchiveStore.open(config().withScope("elsewhere", ""))) {
      other.archive(List.of(TestWorkflows.document("r-other", t(0))));
      // finishedAt = startedAt + 1 min: rows 0..9 finished before t(100).
      assertThat(store.deleteFinishedBefore(t(100), 3)).isEqualTo(10);
      assertThat(store.deleteFinishedBefore(t(100), 3)).isZero();
      assertThat(other.exists("r-other")).isTrue();
    }
    assertThat(uids(store.list(ListQuery.all()))).containsExactly("r-14", "r-13", "r-12",
        "r-11", "r-10");
    assertThat(count("SELECT count(*) FROM argo_archived_workflows_labels"
        + " WHERE uid LIKE 'r-0%'")).isZero();
    assertThatThrownBy(() -> store.deleteFinishedBefore(t(0), 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batchSize");
  }

  @Test
  void unreachableDatabase_failsWithDiagnosisAndNoPassword() {
    String url = db.dialect().equals("postgresql")
        ? "jdbc:postgresql://127.0.0.1:1/x" : "jdbc:mariadb://127.0.0.1:1/x";
    StoreConfig bad = new StoreConfig(url, "u", "s3cret-pw", "default", "", 1,
        Duration.ofMillis(500), Duration.ofSeconds(1));
    try (ArchiveStore s = ArchiveStore.open(bad)) {
      assertThat(s.isReachable(Duration.ofMillis(500))).isFalse();
      assertThatThrownBy(() -> s.archive(List.of(TestWorkflows.document("x", t(0)))))
          .isInstanceOf(ArchiveStoreException.class)
          .hasMessageContaining("archive of 1 workflows failed after")
          .hasMessageContaining("pool total=")
          .hasMessageNotContaining("s3cret-pw");
    }
  }

  /** Keeps LinkedHashMap imported for subclasses' use. */
  static Map<String, String> labels(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  static JsonNode node(String json) {
    return TestWorkflows.JSON.readTree(json);
  }
}
