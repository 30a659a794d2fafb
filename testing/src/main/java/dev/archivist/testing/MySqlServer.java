package dev.archivist.testing;

import dev.archivist.core.Redaction;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * The MySQL/MariaDB server that {@value #ENV} names. There is no embedded fallback: without the
 * variable every MySQL test class is skipped, saying so.
 */
final class MySqlServer implements DatabaseServer {
  static final String ENV = "ARCHIVIST_TEST_MYSQL_URL";

  private final String adminUrl;
  /** The admin URL without its database: creating ours must not depend on that one existing. */
  private final String serverUrl;
  private final String dialect;

  private MySqlServer(String adminUrl) {
    this.dialect = JdbcUrls.scheme(adminUrl);
    // The MariaDB driver (the only one we ship) takes jdbc:mysql: URLs only when asked to.
    this.adminUrl = dialect.equals("mysql")
        ? JdbcUrls.withParameter(adminUrl, "permitMysqlScheme", "true") : adminUrl;
    this.serverUrl = JdbcUrls.withDatabase(this.adminUrl, "");
  }

  static MySqlServer get() {
    String reason = unavailableReason();
    Assumptions.assumeTrue(reason == null, reason);
    return new MySqlServer(System.getenv(ENV).trim());
  }

  static String unavailableReason() {
    String url = System.getenv(ENV);
    return url != null && !url.isBlank() ? null : ENV + " is unset, so the MySQL/MariaDB tests"
        + " are skipped; set it to e.g. jdbc:mariadb://127.0.0.1:3306/archivist_test?user=root"
        + " to run them";
  }

  private Connection admin() throws SQLException {
    try {
      return DriverManager.getConnection(serverUrl);
    } catch (SQLException e) {
      throw new SQLException("cannot connect to the test MySQL/MariaDB (" + ENV + "="
          + Redaction.url(adminUrl) + "): " + e.getMessage(), e.getSQLState(), e);
    }
  }

  @Override
  public TestDatabase create(String name) throws SQLException {
    try (Connection c = admin(); Statement s = c.createStatement()) {
      dropStale(s);
      s.execute("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
    }
    return new TestDatabase(dialect, JdbcUrls.withDatabase(adminUrl, name), name);
  }

  @Override
  public void drop(TestDatabase database) throws SQLException {
    try (Connection c = admin(); Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS `" + database.schema() + "`");
    }
  }

  private static void dropStale(Statement s) throws SQLException {
    long now = System.currentTimeMillis() / 1000;
    List<String> stale = new ArrayList<>();
    try (ResultSet rs = s.executeQuery("SHOW DATABASES LIKE 't\\_%'")) {
      while (rs.next()) {
        if (SchemaNames.isStale(rs.getString(1), now)) {
          stale.add(rs.getString(1));
        }
      }
    }
    for (String name : stale) {
      s.execute("DROP DATABASE IF EXISTS `" + name + "`");
    }
  }
}
