package dev.archivist.testing;

/**
 * Gives a test class its own fresh PostgreSQL schema and drops it afterwards.
 *
 * <p>The server is {@value PostgresServer#ENV} when set (the schema is created in that database
 * and the injected URL carries {@code currentSchema=<schema>}); otherwise one zonky embedded
 * PostgreSQL, started once per JVM and shared by every class (as root it runs under
 * {@code unshare -U}, because initdb refuses to run as root; where that is impossible the class
 * is skipped with a message saying so).
 *
 * <pre>
 * {@literal @}ExtendWith(PostgresExtension.class)
 * class MyTest {
 *   {@literal @}Test void works(TestDatabase db) throws SQLException {
 *     try (Connection c = db.connect()) { ... }
 *   }
 * }
 * </pre>
 */
public final class PostgresExtension extends DatabaseExtension {
  public PostgresExtension() {
    super(PostgresServer::get, PostgresServer::unavailableReason);
  }
}
