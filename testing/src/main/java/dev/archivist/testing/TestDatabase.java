package dev.archivist.testing;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A fresh, empty schema (PostgreSQL) or database (MySQL/MariaDB) that belongs to one test class.
 * {@link PostgresExtension} and {@link MySqlExtension} create it before the class's first test and
 * drop it after its last one.
 *
 * <p>Inject it as a parameter (constructor, {@code @BeforeAll}, {@code @BeforeEach} or test
 * method), or read it from a {@code @RegisterExtension static} field's extension. Only one of the
 * two extensions may be registered on a class, since both resolve this type.
 *
 * @param dialect {@code postgresql}, {@code mariadb} or {@code mysql}: the scheme of
 *     {@link #jdbcUrl()}
 * @param jdbcUrl a JDBC URL whose default schema is {@link #schema()}, with the user (and nothing
 *     secret beyond what the environment variable held) in its query string
 * @param schema the schema (PostgreSQL) or database (MySQL/MariaDB) name; unique to the test
 *     class
 */
public record TestDatabase(String dialect, String jdbcUrl, String schema) {
  /** A new connection to {@link #jdbcUrl()}; the caller closes it. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl);
  }

  /**
   * Deletes every row of {@code tables}, in the order given: name a table whose rows reference
   * another's before that one.
   */
  public void deleteAll(String... tables) throws SQLException {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      for (String table : tables) {
        s.execute("DELETE FROM " + table);
      }
    }
  }

  /**
   * Runs one {@code INSERT}, {@code UPDATE} or {@code DELETE}, {@code params} bound in order.
   *
   * @return the number of rows it changed
   */
  public int update(String sql, Object... params) throws SQLException {
    try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      return ps.executeUpdate();
    }
  }

  /**
   * The first column of every row {@code sql} returns, {@code params} bound in order, each read
   * as {@code type}: a {@code String} as {@link ResultSet#getString(int)} gives it (JSON columns
   * included), any other type as {@link ResultSet#getObject(int, Class)} converts it.
   */
  public <T> List<T> column(Class<T> type, String sql, Object... params) throws SQLException {
    List<T> values = new ArrayList<>();
    try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          values.add(type == String.class ? type.cast(rs.getString(1)) : rs.getObject(1, type));
        }
      }
    }
    return values;
  }

  private static void bind(PreparedStatement ps, Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      ps.setObject(i + 1, params[i]);
    }
  }

  /** A non-pooling {@link DataSource} over {@link #connect()}. */
  public DataSource dataSource() {
    return new DataSource() {
      @Override
      public Connection getConnection() throws SQLException {
        return connect();
      }

      @Override
      public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the user is part of " + jdbcUrl);
      }

      @Override
      public PrintWriter getLogWriter() {
        return null;
      }

      @Override
      public void setLogWriter(PrintWriter out) {}

      @Override
      public void setLoginTimeout(int seconds) {}

      @Override
      public int getLoginTimeout() {
        return 0;
      }

      @Override
      public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
      }

      @Override
      public <T> T unwrap(Class<T> iface) throws SQLException {
        throw new SQLException("not a wrapper");
      }

      @Override
      public boolean isWrapperFor(Class<?> iface) {
        return false;
      }
    };
  }

  @Override
  public String toString() {
    return "TestDatabase[" + dialect + " " + schema + "]";
  }
}
