package dev.archivist.bench.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Creates the benchmark's database when it is missing, and empties the archive tables. */
final class BenchDb {
  private BenchDb() {}

  /**
   * A JDBC URL split around its database name: {@code server} is everything before the last
   * {@code /}, {@code query} the {@code ?...} part or empty.
   */
  private record DatabaseUrl(String server, String name, String query) {
    static DatabaseUrl parse(String url, String flag) {
      int q = url.indexOf('?');
      String base = q < 0 ? url : url.substring(0, q);
      int slash = base.lastIndexOf('/');
      String name = base.substring(slash + 1);
      if (!name.matches("[A-Za-z0-9_]+")) {
        throw new IllegalArgumentException(flag + ": database name '" + name + "' must be"
            + " letters, digits and underscores");
      }
      return new DatabaseUrl(base.substring(0, slash), name, q < 0 ? "" : url.substring(q));
    }
  }

  /**
   * Checks that {@code url} names a database this class can create, before any work starts.
   *
   * @throws IllegalArgumentException naming {@code flag} when it does not
   */
  static void checkUrl(String url, String flag) {
    DatabaseUrl.parse(url, flag);
  }

  /** The database a JDBC URL names. */
  static String databaseName(String url) {
    return DatabaseUrl.parse(url, "url").name();
  }

  /** For a PostgreSQL URL, connects to the server's {@code postgres} database and creates ours. */
  static void ensurePostgresDatabase(String url) throws SQLException {
    DatabaseUrl u = DatabaseUrl.parse(url, "--db");
    try (Connection c = DriverManager.getConnection(u.server() + "/postgres" + u.query());
        PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      ps.setString(1, u.name());
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          return;
        }
      }
      try (Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + u.name());
      }
    }
  }

  /** For a MariaDB/MySQL URL, creates the database named in it when missing. */
  static void ensureMysqlDatabase(String url) throws SQLException {
    DatabaseUrl u = DatabaseUrl.parse(url, "--mysql");
    try (Connection c = DriverManager.getConnection(u.server() + "/" + u.query());
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE IF NOT EXISTS " + u.name()
          + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
    }
  }

  static void truncate(String url) throws SQLException {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      if (url.startsWith("jdbc:postgresql:")) {
        s.execute("TRUNCATE argo_archived_workflows_labels, argo_archived_workflows");
        s.execute("CHECKPOINT");
      } else {
        s.execute("DELETE FROM argo_archived_workflows_labels");
        s.execute("DELETE FROM argo_archived_workflows");
      }
    }
  }

  /** PostgreSQL's current WAL insert position, or null for MySQL/MariaDB. */
  static String walPosition(String url) throws SQLException {
    if (!url.startsWith("jdbc:postgresql:")) {
      return null;
    }
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_current_wal_insert_lsn()::text")) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** WAL bytes written since {@code position} (from {@link #walPosition}), or -1 if null. */
  static long walBytesSince(String url, String position) throws SQLException {
    if (position == null) {
      return -1;
    }
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement ps = c.prepareStatement(
            "SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), CAST(? AS pg_lsn))::bigint")) {
      ps.setString(1, position);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Whether this PostgreSQL server can compress TOAST values with lz4. */
  static boolean hasLz4(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT 1 FROM pg_settings"
            + " WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)")) {
      return rs.next();
    }
  }
}
