package dev.archivist.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.testing.PostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class PostgresArchiveStoreTest extends ArchiveStoreContract {

  @Override
  String lockWaitersSql() {
    return "SELECT count(*) FROM pg_stat_activity"
        + " WHERE CAST(? AS integer) = ANY(pg_blocking_pids(pid))";
  }

  @Override
  String lockTableSql(String table) {
    return "LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE";
  }

  @Override
  String sessionIdSql() {
    return "SELECT pg_backend_pid()";
  }

  /**
   * Where the server has lz4, the workflow JSON is stored lz4-compressed, and only the values:
   * the column keeps the server's default compression, as Argo's schema has it.
   */
  @Test
  void archive_compressesWorkflowJsonWithLz4WhereTheServerHasIt() throws SQLException {
    boolean lz4;
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT 1 FROM pg_settings"
            + " WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)")) {
      lz4 = rs.next();
    }
    assertAllWritten(store.archive(List.of(
        TestWorkflows.document("big", "ns", "big", Map.of(), t(0), 64 * 1024))));
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_column_compression(workflow),"
            + " (SELECT attcompression FROM pg_attribute WHERE attrelid ="
            + " 'argo_archived_workflows'::regclass AND attname = 'workflow')"
            + " FROM argo_archived_workflows WHERE uid = 'big'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo(lz4 ? "lz4" : "pglz");
      assertThat(rs.getString(2)).as("the column's own compression setting").isEmpty();
    }
    assertThat(store.get("big").orElseThrow().at("/metadata/uid").stringValue())
        .isEqualTo("big");
  }
}
