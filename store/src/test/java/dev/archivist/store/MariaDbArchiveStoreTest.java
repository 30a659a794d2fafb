package dev.archivist.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.testing.MySqlExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(MySqlExtension.class)
class MariaDbArchiveStoreTest extends ArchiveStoreContract {

  @Override
  String lockWaitersSql() {
    return "SELECT count(*) FROM information_schema.innodb_lock_waits w"
        + " JOIN information_schema.innodb_trx b ON b.trx_id = w.blocking_trx_id"
        + " WHERE b.trx_mysql_thread_id = ?";
  }

  @Override
  String lockTableSql(String table) {
    return "LOCK TABLES " + table + " WRITE";
  }

  @Override
  String unlockTablesSql() {
    return "UNLOCK TABLES";
  }

  @Override
  String sessionIdSql() {
    return "SELECT connection_id()";
  }

  /**
   * The read-back after the upsert locks what it reads, so it must go by the primary key. With
   * statistics that say the table is empty (a new archive, or one just purged), the optimizer
   * would rather walk the index on (clustername, instanceid, finishedat) for the one cluster
   * name: a locking read along it locks every row and gap of the cluster, and concurrent
   * batches' inserts deadlock on it past the writer's retries (as bench/throughput found).
   */
  @Test
  void lockedReadBack_emptyTableStatistics_goesByThePrimaryKey() throws SQLException {
    String sql = Dialect.MYSQL.lockedReadBack("argo_archived_workflows", "finishedat", 100);
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("ANALYZE TABLE argo_archived_workflows");
      StringBuilder explain = new StringBuilder("EXPLAIN ").append(sql.replace("?", "'%s'"));
      List<Object> values = new java.util.ArrayList<>();
      values.add("default");
      for (int i = 0; i < 100; i++) {
        values.add("uid-" + i);
      }
      try (ResultSet rs = s.executeQuery(String.format(explain.toString(), values.toArray()))) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString("key")).as("the index the locking read walks")
            .isEqualTo("PRIMARY");
      }
    }
  }

  /**
   * The password file is read again for each new connection: after the user's password is
   * changed and the file rewritten, the pool's next connection signs in with the new one. (On
   * PostgreSQL the test servers trust loopback, so only MariaDB checks the password.)
   */
  @Test
  void passwordFile_rotatedPasswordIsUsedForNewConnections(@TempDir Path dir) throws Exception {
    String user = "rot_" + Integer.toHexString(db.schema().hashCode() & 0xfffffff);
    Path file = dir.resolve("password");
    Files.writeString(file, "first-password\n");
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE USER '" + user + "'@'%' IDENTIFIED BY 'first-password'");
      s.execute("GRANT ALL ON `" + db.schema() + "`.* TO '" + user + "'@'%'");
    }
    String url = db.jdbcUrl().replaceAll("([?&])user=[^&]*&?", "$1");
    StoreConfig config = new StoreConfig(url, user, null, "default", "", 1,
        Duration.ofSeconds(2), Duration.ofSeconds(10)).withPasswordFile(file);
    try (ArchiveStore rotating = ArchiveStore.open(config)) {
      assertThat(rotating.isReachable(Duration.ofSeconds(2))).isTrue();
      try (Connection c = db.connect(); Statement s = c.createStatement()) {
        s.execute("ALTER USER '" + user + "'@'%' IDENTIFIED BY 'second-password'");
        Files.writeString(file, "second-password\n");
        killConnectionsOf(s, user);
      }
      // The first call may still meet the killed connection, which the pool then discards.
      boolean reachable = false;
      for (int i = 0; i < 3 && !reachable; i++) {
        reachable = rotating.isReachable(Duration.ofSeconds(2));
      }
      assertThat(reachable).as("a new connection with the rotated password").isTrue();
    } finally {
      try (Connection c = db.connect(); Statement s = c.createStatement()) {
        s.execute("DROP USER IF EXISTS '" + user + "'@'%'");
      }
    }
  }

  private static void killConnectionsOf(Statement s, String user) throws SQLException {
    List<Long> ids = new java.util.ArrayList<>();
    try (ResultSet rs = s.executeQuery("SELECT id FROM information_schema.processlist"
        + " WHERE user = '" + user + "'")) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
    }
    assertThat(ids).as("the pool's connections").isNotEmpty();
    for (long id : ids) {
      s.execute("KILL CONNECTION " + id);
    }
  }

  /**
   * A workflow larger than the server's max_allowed_packet is refused before any SQL, with the
   * server's limit in the reason, and the rest of its batch commits.
   */
  @Test
  void archive_workflowOverMaxAllowedPacketFailsAloneWithTheLimit() throws SQLException {
    long packet;
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT @@max_allowed_packet")) {
      rs.next();
      packet = rs.getLong(1);
    }
    WorkflowDocument small = TestWorkflows.document("fits", t(1));
    WorkflowDocument huge = TestWorkflows.document("too-big", "ns", "big", Map.of(), t(2),
        Math.toIntExact(packet + 1024));
    assertThat(BatchWriter.utf8Length(huge.json())).isGreaterThan(packet);

    BatchResult r = store.archive(List.of(small, huge));

    assertThat(r.outcomes().get(0)).isInstanceOf(BatchResult.Written.class);
    BatchResult.Rejected rejected = (BatchResult.Rejected) r.outcomes().get(1);
    assertThat(rejected.uid()).isEqualTo("too-big");
    assertThat(rejected.reason()).contains("max_allowed_packet of " + packet + " bytes");
    assertThat(store.exists("fits")).isTrue();
    assertThat(store.exists("too-big")).isFalse();
  }
}
