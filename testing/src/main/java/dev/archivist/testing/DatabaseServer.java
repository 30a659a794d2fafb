package dev.archivist.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A database server on which test classes get their own schema (a database, on MySQL). Each
 * server says how it is reached and what its statements are; creating, dropping and clearing
 * away what crashed runs left behind is the same on each.
 */
abstract class DatabaseServer {
  /** Where {@link #admin()} connects to. */
  private final String adminUrl;
  /** Which server this is, for errors: no password. */
  private final String description;
  /** The query whose first column lists the schemas whose names start with {@code t_}. */
  private final String listTestSchemas;
  private final UnaryOperator<String> createSchema;
  private final UnaryOperator<String> dropSchema;

  DatabaseServer(String adminUrl, String description, String listTestSchemas,
      UnaryOperator<String> createSchema, UnaryOperator<String> dropSchema) {
    this.adminUrl = adminUrl;
    this.description = description;
    this.listTestSchemas = listTestSchemas;
    this.createSchema = createSchema;
    this.dropSchema = dropSchema;
  }

  /** A new connection with the right to create and drop schemas, naming the server if not. */
  final Connection admin() throws SQLException {
    try {
      return DriverManager.getConnection(adminUrl);
    } catch (SQLException e) {
      throw new SQLException("cannot connect to the test " + description + ": " + e.getMessage(),
          e.getSQLState(), e);
    }
  }

  /** How a test reaches the schema {@code name}. */
  abstract TestDatabase database(String name);

  /**
   * Creates an empty schema called {@code name}, after dropping the stale ones that runs which
   * never reached their cleanup left behind.
   */
  final TestDatabase create(String name) throws SQLException {
    try (Connection c = admin(); Statement s = c.createStatement()) {
      dropStale(s);
      s.execute(createSchema.apply(name));
    }
    return database(name);
  }

  /** Drops it and everything in it. */
  final void drop(TestDatabase database) throws SQLException {
    try (Connection c = admin(); Statement s = c.createStatement()) {
      s.execute(dropSchema.apply(database.schema()));
    }
  }

  private void dropStale(Statement s) throws SQLException {
    long now = System.currentTimeMillis() / 1000;
    List<String> stale = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(listTestSchemas)) {
      while (rs.next()) {
        if (SchemaNames.isStale(rs.getString(1), now)) {
          stale.add(rs.getString(1));
        }
      }
    }
    for (String name : stale) {
      s.execute(dropSchema.apply(name));
    }
  }
}
