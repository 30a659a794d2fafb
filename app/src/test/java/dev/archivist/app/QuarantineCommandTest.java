package dev.archivist.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.store.ArchiveStore;
import dev.archivist.store.QuarantineEntry;
import dev.archivist.store.StoreConfig;
import dev.archivist.testing.PostgresExtension;
import dev.archivist.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code archivist quarantine} over a real PostgreSQL. */
@ExtendWith(PostgresExtension.class)
class QuarantineCommandTest {
  private static String url;

  @BeforeAll
  static void seed(TestDatabase db) {
    url = db.jdbcUrl();
    Cli.Result migrated = Cli.run("migrate", "--db", url);
    assertThat(migrated.exitCode()).as(migrated.err()).isEqualTo(ExitCodes.OK);
    try (ArchiveStore store = ArchiveStore.open(StoreConfig.of(url, null, null))) {
      store.quarantine().record(new QuarantineEntry("uid-q", "argo", "too-long-label", 12,
          "rejected: value of label x is 100 characters, longer than Argo's column allows (63)",
          Cli.NOW.minus(Duration.ofHours(3)), Cli.NOW.minus(Duration.ofMinutes(20))));
    }
  }

  @Test
  void quarantine_table_listsAttemptsAgesAndTheError() {
    Cli.Result r = Cli.run("quarantine", "--db", url);

    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.OK);
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).matches(
        "NAMESPACE +NAME +ATTEMPTS +SINCE +LAST ATTEMPT +LAST ERROR");
    assertThat(lines.get(1)).startsWith("argo ").contains("too-long-label", "12", "3h ago",
        "20m ago", "longer than Argo's column allows (63)");
  }

  @Test
  void quarantine_json_hasEveryField() throws Exception {
    Cli.Result r = Cli.run("quarantine", "--db", url, "-o", "json");

    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.OK);
    JsonNode item = JsonMapper.builder().build().readTree(r.out()).path("items").get(0);
    assertThat(item.path("uid").asString()).isEqualTo("uid-q");
    assertThat(item.path("attempts").asInt()).isEqualTo(12);
    assertThat(item.path("since").asString()).isEqualTo("2026-05-01T09:00:00Z");
    assertThat(item.path("lastError").asString()).startsWith("rejected: ");
  }

  @Test
  void quarantine_otherClusterName_isEmpty() {
    Cli.Result r = Cli.run("quarantine", "--db", url, "--cluster-name", "elsewhere");

    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.OK);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("No workflows in quarantine.");
  }

  @Test
  void quarantine_withoutDb_exits2NamingTheFlag() {
    Cli.Result r = Cli.run("quarantine");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--db");
  }
}
