package dev.archivist.app.argo;

import dev.archivist.testing.TestDatabase;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Points Argo at a test database: the {@code persistence} section of Argo's
 * {@code workflow-controller-configmap} and the user name and password its Secret must hold.
 *
 * <p>PostgreSQL: each test class has its own schema, and Argo names no schema (its queries are
 * unqualified and it connects with only host, port, database, user and password). So Argo logs
 * in as a role of its own, named after the schema and created here, whose {@code search_path} is
 * that schema; the role may only read (Argo Server writes nothing unless asked to delete).
 * {@link #close()} drops it. MySQL/MariaDB: the test's database is Argo's {@code database}, and
 * Argo uses the test URL's user.
 *
 * <p>The password never appears in a message or a log line: {@link #toString()} leaves it out.
 */
record ArgoPersistence(TestDatabase db, boolean postgres, String host, int port, String database,
    String user, String password) implements AutoCloseable {

  /** Prepares {@code db} for Argo: on PostgreSQL, creates its read-only role. */
  static ArgoPersistence prepare(TestDatabase db) throws SQLException {
    URI uri = URI.create(db.jdbcUrl().substring("jdbc:".length()));
    Map<String, String> query = queryParameters(uri.getRawQuery());
    String host = uri.getHost();
    String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
    if (db.dialect().equals("postgresql")) {
      int port = uri.getPort() < 0 ? 5432 : uri.getPort();
      String role = db.schema();
      byte[] secret = new byte[18];
      new SecureRandom().nextBytes(secret);
      String password = HexFormat.of().formatHex(secret);
      try (Connection c = db.connect(); Statement s = c.createStatement()) {
        String q = "\"" + role + "\"";
        s.execute("DROP ROLE IF EXISTS " + q);
        s.execute("CREATE ROLE " + q + " LOGIN PASSWORD '" + password + "'");
        s.execute("ALTER ROLE " + q + " SET search_path = " + q);
        s.execute("GRANT USAGE ON SCHEMA " + q + " TO " + q);
        s.execute("ALTER DEFAULT PRIVILEGES IN SCHEMA " + q + " GRANT SELECT ON TABLES TO " + q);
        s.execute("GRANT SELECT ON ALL TABLES IN SCHEMA " + q + " TO " + q);
      }
      return new ArgoPersistence(db, true, host, port, path, role, password);
    }
    int port = uri.getPort() < 0 ? 3306 : uri.getPort();
    return new ArgoPersistence(db, false, host, port, path,
        query.getOrDefault("user", "root"), query.getOrDefault("password", ""));
  }

  /** After the schema exists: lets Argo's role read the tables created since {@link #prepare}. */
  void grantRead() throws SQLException {
    if (!postgres) {
      return;
    }
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      String q = "\"" + user + "\"";
      s.execute("GRANT SELECT ON ALL TABLES IN SCHEMA " + q + " TO " + q);
    }
  }

  /**
   * The {@code persistence} section: Argo's archive off (Archivist writes it), the Secret
   * {@code secretName} holding {@code username} and {@code password}.
   */
  String persistenceYaml(String secretName) {
    String engine = postgres ? "postgresql" : "mysql";
    return "archive: false\n"
        + "clusterName: default\n"
        + engine + ":\n"
        + "  host: " + host + "\n"
        + "  port: " + port + "\n"
        + "  database: " + database + "\n"
        + "  tableName: argo_workflows\n"
        + "  userNameSecret:\n"
        + "    name: " + secretName + "\n"
        + "    key: username\n"
        + "  passwordSecret:\n"
        + "    name: " + secretName + "\n"
        + "    key: password\n";
  }

  /** The Secret's data. */
  Map<String, String> secretData() {
    return Map.of("username", user, "password", password);
  }

  @Override
  public void close() throws SQLException {
    if (!postgres) {
      return;
    }
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      String q = "\"" + user + "\"";
      s.execute("DROP OWNED BY " + q);
      s.execute("DROP ROLE IF EXISTS " + q);
    }
  }

  @Override
  public String toString() {
    return "ArgoPersistence[" + (postgres ? "postgresql" : "mysql") + " " + host + ":" + port + "/"
        + database + " as " + user + "]";
  }

  private static Map<String, String> queryParameters(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(key, value);
    }
    return out;
  }
}
