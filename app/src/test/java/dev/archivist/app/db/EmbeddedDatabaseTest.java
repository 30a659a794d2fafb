package dev.archivist.app.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the real embedded PostgreSQL (under {@code unshare -U} when the tests run as root, as on
 * CI), twice over the same data directory, to prove the data persists and a restart reuses it.
 */
class EmbeddedDatabaseTest {

  @Test
  void start_persistsDataAcrossRestartsAndWipeEmptiesIt(@TempDir Path dir) throws Exception {
    Path bins = dir.resolve("bins");
    Path data = dir.resolve("data");
    try (EmbeddedDatabase db = EmbeddedDatabase.start(data, bins)) {
      try (Connection c = connect(db); Statement s = c.createStatement()) {
        s.execute("create table marker (v text)");
        s.execute("insert into marker values ('kept')");
      }
      assertThatThrownBy(() -> EmbeddedDatabase.wipe(data))
          .isInstanceOf(EmbeddedDatabaseException.class).hasMessageContaining("is running");
    }

    try (EmbeddedDatabase db = EmbeddedDatabase.start(data, bins)) {
      assertThat(db.jdbcUrl()).startsWith("jdbc:postgresql://127.0.0.1:");
      try (Connection c = connect(db); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select v from marker")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("kept");
      }
    }
    EmbeddedDatabase.wipe(data);

    assertThat(data.resolve("postgres")).doesNotExist();
  }

  @Test
  void start_refusesADataDirectoryThatIsNotPostgres(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("postgres"));
    Files.writeString(dir.resolve("postgres/notes.txt"), "mine");

    assertThatThrownBy(() -> EmbeddedDatabase.start(dir))
        .isInstanceOf(EmbeddedDatabaseException.class)
        .hasMessageContaining("holds no PostgreSQL data");
    assertThat(dir.resolve("postgres/notes.txt")).exists();
  }

  private static Connection connect(EmbeddedDatabase db) throws Exception {
    Properties p = new Properties();
    p.setProperty("user", EmbeddedDatabase.USER);
    return DriverManager.getConnection(db.jdbcUrl(), p);
  }
}
