package dev.archivist.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class PostgresExtensionTest {

  @BeforeAll
  static void createTable(TestDatabase db) throws SQLException {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (x int)");
    }
  }

  @Test
  void database_isAFreshSchemaThatIsTheDefault(TestDatabase db) throws SQLException {
    assertThat(db.dialect()).isEqualTo("postgresql");
    assertThat(db.jdbcUrl()).contains("currentSchema=" + db.schema());
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_schema(), (SELECT count(*) FROM t)")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo(db.schema());
      assertThat(rs.getLong(2)).isZero();
    }
  }

  @Nested
  class Inner {
    @Test
    void database_isSharedWithNestedClasses(TestDatabase db) throws SQLException {
      try (Connection c = db.connect(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM t")) {
        assertThat(rs.next()).isTrue();
      }
    }
  }
}
