package dev.archivist.testing;

import dev.archivist.core.Redaction;
import org.junit.jupiter.api.Assumptions;

/**
 * The MySQL/MariaDB server that {@value #ENV} names. There is no embedded fallback: without the
 * variable every MySQL test class is skipped, saying so.
 */
final class MySqlServer extends DatabaseServer {
  static final String ENV = "ARCHIVIST_TEST_MYSQL_URL";

  /** The admin URL. {@link #admin()} connects without its database: ours must not need it. */
  private final String adminUrl;
  private final String dialect;

  private MySqlServer(String adminUrl, String dialect) {
    super(JdbcUrls.withDatabase(adminUrl, ""),
        "MySQL/MariaDB (" + ENV + "=" + Redaction.url(adminUrl) + ")",
        "SHOW DATABASES LIKE 't\\_%'",
        name -> "CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin",
        name -> "DROP DATABASE IF EXISTS `" + name + "`");
    this.adminUrl = adminUrl;
    this.dialect = dialect;
  }

  static MySqlServer get() {
    String reason = unavailableReason();
    Assumptions.assumeTrue(reason == null, reason);
    String url = System.getenv(ENV).trim();
    String dialect = JdbcUrls.scheme(url);
    // The MariaDB driver (the only one we ship) takes jdbc:mysql: URLs only when asked to.
    return new MySqlServer(dialect.equals("mysql")
        ? JdbcUrls.withParameter(url, "permitMysqlScheme", "true") : url, dialect);
  }

  static String unavailableReason() {
    String url = System.getenv(ENV);
    return url != null && !url.isBlank() ? null : ENV + " is unset, so the MySQL/MariaDB tests"
        + " are skipped; set it to e.g. jdbc:mariadb://127.0.0.1:3306/archivist_test?user=root"
        + " to run them";
  }

  @Override
  TestDatabase database(String name) {
    return new TestDatabase(dialect, JdbcUrls.withDatabase(adminUrl, name), name);
  }
}
