package dev.archivist.store;

import dev.archivist.store.argo.OffloadedNodes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import javax.sql.DataSource;

/**
 * Reads Argo's offload table ({@code argo_workflows} unless configured otherwise) by primary key:
 * {@code clustername = ? AND ((uid = ? AND version = ?) OR ...)}, at most
 * {@value #MAX_KEYS_PER_QUERY} keys a query, which both databases answer from the primary key
 * index. The SQL is the same on both; the {@code nodes} column is {@code json} on both and is
 * read as text.
 */
final class JdbcOffloadedNodes implements OffloadedNodes {
  static final int MAX_KEYS_PER_QUERY = 500;

  /** Translates a failed query into the store's exception, with pool state and elapsed time. */
  interface Failures {
    ArchiveStoreException failure(String op, long startNanos, SQLException e);
  }

  private final DataSource dataSource;
  private final String table;
  private final String clusterName;
  private final int queryTimeoutSeconds;
  private final LongSupplier nanoTime;
  private final Failures failures;

  /** @param table a validated identifier ({@link dev.archivist.store.argo.ArgoNodesConfig}) */
  JdbcOffloadedNodes(DataSource dataSource, String table, String clusterName,
      int queryTimeoutSeconds, LongSupplier nanoTime, Failures failures) {
    this.dataSource = dataSource;
    this.table = table;
    this.clusterName = clusterName;
    this.queryTimeoutSeconds = queryTimeoutSeconds;
    this.nanoTime = nanoTime;
    this.failures = failures;
  }

  @Override
  public Map<Key, String> read(Collection<Key> keys) {
    Map<Key, String> found = new HashMap<>();
    if (keys.isEmpty()) {
      return found;
    }
    List<Key> all = new ArrayList<>(keys);
    long start = nanoTime.getAsLong();
    try (Connection c = dataSource.getConnection()) {
      for (int from = 0; from < all.size(); from += MAX_KEYS_PER_QUERY) {
        List<Key> chunk = all.subList(from, Math.min(all.size(), from + MAX_KEYS_PER_QUERY));
        readChunk(c, chunk, found);
      }
    } catch (SQLException e) {
      throw failures.failure("read of " + keys.size() + " offloaded node maps from table "
          + table, start, e);
    }
    return found;
  }

  private void readChunk(Connection c, List<Key> chunk, Map<Key, String> found)
      throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT uid, version, nodes FROM ").append(table)
        .append(" WHERE clustername = ? AND (");
    for (int i = 0; i < chunk.size(); i++) {
      sql.append(i == 0 ? "" : " OR ").append("(uid = ? AND version = ?)");
    }
    sql.append(')');
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      ps.setQueryTimeout(queryTimeoutSeconds);
      int p = 1;
      ps.setString(p++, clusterName);
      for (Key k : chunk) {
        ps.setString(p++, k.uid());
        ps.setString(p++, k.version());
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          found.put(new Key(rs.getString(1), rs.getString(2)), rs.getString(3));
        }
      }
    }
  }
}
