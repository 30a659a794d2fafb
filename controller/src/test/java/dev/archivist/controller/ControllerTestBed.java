package dev.archivist.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.store.ArchiveStore;
import dev.archivist.store.StoreConfig;
import dev.archivist.testing.TestDatabase;
import dev.archivist.testing.TestNamespace;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the controller's end-to-end tests share: fabric8's CRUD mock API server on loopback for
 * the test class (or the real one, see {@link #useRealServer}), a migrated database that the
 * subclass brings, and per test a namespace, a {@code clustername} and a store scoped to it, so
 * rows and workflows of different tests never meet. What a test adds to {@link #toClose} is
 * closed after it, last added first.
 */
abstract class ControllerTestBed {
  private static final AtomicInteger SEQ = new AtomicInteger();
  private static MockCluster mock;

  /** The API server of this test: the mock, unless {@link #useRealServer} replaced it. */
  WorkflowCluster cluster;

  TestDatabase db;
  String ns;
  String clusterName;
  ArchiveStore store;
  final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeAll
  static void startCluster(TestDatabase db) {
    mock = new MockCluster();
    try (ArchiveStore s = ArchiveStore.open(StoreConfig.of(db.jdbcUrl(), null, null))) {
      s.migrate();
    }
  }

  @AfterAll
  static void stopCluster() {
    mock.close();
  }

  @BeforeEach
  void setUpBed(TestDatabase db) {
    this.db = db;
    int n = SEQ.incrementAndGet();
    ns = "ns-" + n;
    cluster = mock;
    clusterName = "c-" + getClass().getSimpleName().toLowerCase().substring(0, 6) + "-" + n
        + "-" + System.nanoTime() % 100_000;
    store = openStore(db.jdbcUrl());
  }

  @AfterEach
  void tearDownBed() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
    toClose.clear();
    store.close();
  }

  /**
   * Runs this test on the real API server instead of the mock, in {@code namespace}; call it
   * from a subclass's {@code @BeforeEach}, which runs after this class's.
   */
  void useRealServer(TestNamespace namespace) {
    cluster = new RealCluster(namespace);
    ns = namespace.name();
  }

  /** The store of this test: the database at {@code jdbcUrl}, scoped to its clustername. */
  ArchiveStore openStore(String jdbcUrl) {
    return ArchiveStore.open(StoreConfig.of(jdbcUrl, null, null).withScope(clusterName, ""));
  }

  static ConditionFactory await() {
    return org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(20));
  }

  void awaitArchived(String name) {
    await().untilAsserted(() -> assertThat(cluster.archivingStatus(ns, name))
        .as("archiving-status label of %s/%s", ns, name).isEqualTo("Archived"));
  }

  /** The rows of {@code uid} in this test's clustername. */
  long rows(String uid) throws SQLException {
    return db.column(Long.class, "SELECT count(*) FROM argo_archived_workflows"
        + " WHERE clustername = ? AND uid = ?", clusterName, uid).get(0);
  }
}
