package dev.archivist.bench.memory;

import dev.archivist.core.Redaction;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The orchestrator's own view of the benchmark database: creates it when missing, gives every
 * mode run a fresh schema, and counts what a mode archived (independently of the mode's own
 * counters).
 *
 * <p>Used from the orchestrator's threads; {@link #counter} opens a connection that only one
 * thread may use.
 */
final class BenchDatabase {
  private final String url;

  BenchDatabase(String url) {
    this.url = url;
  }

  /** Creates the database of {@code url} if it does not exist. */
  void ensureDatabase() {
    String database = JdbcUrls.database(url);
    try (Connection c = DriverManager.getConnection(JdbcUrls.maintenance(url));
        PreparedStatement q = c.prepareStatement("select 1 from pg_database where datname = ?")) {
      q.setString(1, database);
      try (ResultSet rs = q.executeQuery()) {
        if (rs.next()) {
          return;
        }
      }
      try (Statement s = c.createStatement()) {
        s.execute("create database \"" + database.replace("\"", "\"\"") + "\"");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not reach or create the benchmark database at "
          + Redaction.url(url) + " (SQL state " + e.getSQLState() + "): " + e.getMessage(), e);
    }
  }

  /** Drops and recreates {@code schema}; returns the JDBC URL whose current schema it is. */
  String freshSchema(String schema) {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("drop schema if exists " + schema + " cascade");
      s.execute("create schema " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException("could not reset schema " + schema + " in "
          + Redaction.url(url) + " (SQL state " + e.getSQLState() + "): " + e.getMessage(), e);
    }
    return JdbcUrls.withSchema(url, schema);
  }

  /** Counts rows and distinct uids in one schema's archive table. */
  static final class Counter implements AutoCloseable {
    private final Connection connection;
    private final String table;

    private Counter(Connection connection, String schema) {
      this.connection = connection;
      this.table = schema + ".argo_archived_workflows";
    }

    /** Rows archived so far; 0 while the table does not exist yet. */
    long rows() throws SQLException {
      return query("select count(*) from " + table);
    }

    long distinctUids() throws SQLException {
      return query("select count(distinct uid) from " + table);
    }

    private long query(String sql) throws SQLException {
      try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
        rs.next();
        return rs.getLong(1);
      } catch (SQLException e) {
        if ("42P01".equals(e.getSQLState())) { // undefined_table: the mode has not migrated yet
          return 0;
        }
        throw e;
      }
    }

    @Override
    public void close() throws SQLException {
      connection.close();
    }
  }

  Counter counter(String schema) throws SQLException {
    Connection c = DriverManager.getConnection(url);
    c.setAutoCommit(true);
    return new Counter(c, schema);
  }
}
