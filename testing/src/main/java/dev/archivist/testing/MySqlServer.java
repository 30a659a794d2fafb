package dev.archivist.testing;

import dev.archivist.core.Redaction;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Assumptions;

/**
 * The MySQL/MariaDB server that {@value #ENV} names. There is no embedded fallback: without the
 * variable every MySQL test class is skipped, saying so.
 */
final class MySqlServer extends DatabaseServer {
  static final String ENV = "ARCHIVIST_TEST_MYSQL_URL";

  private final String adminUrl;
  /** The admin URL without its database: creating ours must not depend on that one existing. */
  private final String serverUrl;
  private final String dialect;

  private MySqlServer(String adminUrl) {
    super("SHOW DATABASES LIKE 't\\_%'",
        name -> "CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin",
        name -> "DROP DATABASE IF EXISTS `" + name + "`");
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

  @Override
  Connection admin() throws SQLException {
    try {
      return DriverManager.getConnection(serverUrl);
    } catch (SQLException e) {
      throw new SQLException("cannot connect to the test MySQL/MariaDB (" + ENV + "="
          + Redaction.url(adminUrl) + "): " + e.getMessage(), e.getSQLState(), e);
    }
  }

  @Override
  TestDatabase database(String name) {
    return new TestDatabase(dialect, JdbcUrls.withDatabase(adminUrl, name), name);
  }
}
