package dev.archivist.testing;

/**
 * Gives a test class its own fresh MySQL/MariaDB database on the server of
 * {@value MySqlServer#ENV}, and drops it afterwards. When the variable is unset the class is
 * skipped with a message naming it.
 *
 * <pre>
 * {@literal @}ExtendWith(MySqlExtension.class)
 * class MyTest {
 *   {@literal @}Test void works(TestDatabase db) throws SQLException { ... }
 * }
 * </pre>
 */
public final class MySqlExtension extends DatabaseExtension {
  public MySqlExtension() {
    super(MySqlServer::get, MySqlServer::unavailableReason);
  }
}
