package dev.archivist.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MySqlExtensionTest {
  @RegisterExtension
  static final MySqlExtension MYSQL = new MySqlExtension();

  @Test
  void database_isAFreshDatabaseThatIsTheDefault() throws SQLException {
    TestDatabase db = MYSQL.database();
    assertThat(db.dialect()).isIn("mariadb", "mysql");
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT DATABASE()")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo(db.schema());
      }
      try (ResultSet rs = s.executeQuery("SHOW TABLES")) {
        assertThat(rs.next()).isFalse();
      }
    }
  }
}
