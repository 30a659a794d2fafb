package dev.archivist.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.server.ArchiveServer;
import dev.archivist.server.ServerOptions;
import dev.archivist.store.ArchiveStore;
import dev.archivist.store.QuarantineEntry;
import dev.archivist.store.StoreConfig;
import dev.archivist.store.WorkflowDocument;
import dev.archivist.store.WorkflowDocuments;
import dev.archivist.testing.PostgresExtension;
import dev.archivist.testing.TestDatabase;
import dev.archivist.testing.WorkflowBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** {@code migrate}, {@code list}, {@code get} and {@code delete} over a real PostgreSQL. */
@ExtendWith(PostgresExtension.class)
class ArchiveCommandsTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static String url;

  @BeforeAll
  static void seed(TestDatabase db) {
    url = db.jdbcUrl();
    Cli.Result migrated = Cli.run("migrate", "--db", url);
    assertThat(migrated.exitCode()).as(migrated.err()).isEqualTo(ExitCodes.OK);
    assertThat(migrated.out()).contains("created the archive schema");

    List<WorkflowDocument> docs = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      docs.add(WorkflowDocuments.fromWorkflow(workflow("hello-" + i, i < 5 ? "argo" : "ci",
          "uid-" + i, i % 3 == 0 ? "Failed" : "Succeeded", "2026-05-01T0" + i + ":00:00Z",
          "2026-05-01T0" + i + ":05:00Z"), Cli.NOW));
    }
    try (ArchiveStore store = ArchiveStore.open(StoreConfig.of(url, null, null))) {
      store.archive(docs);
    }
  }

  @Test
  void migrate_again_saysUpToDate() {
    Cli.Result r = Cli.run("migrate", "--db", url);

    assertThat(r.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(r.out()).contains("up to date", "68");
  }

  @Test
  void migrate_unreachableDatabase_exits1() {
    Cli.Result r = Cli.run("migrate", "--db", "jdbc:postgresql://127.0.0.1:1/nothing");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.ERROR);
    assertThat(r.err()).startsWith("error: ").doesNotContain("\tat ");
  }

  @Test
  void list_table_isAlignedNewestFirst() {
    Cli.Result r = Cli.run("list", "--db", url, "--namespace", "argo", "--limit", "3");

    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.OK);
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).matches(
        "NAME +NAMESPACE +PHASE +STARTED +FINISHED +DURATION +UID");
    assertThat(lines.get(1)).startsWith("hello-4 ").contains("argo", "Succeeded", "5m", "uid-4");
    assertThat(lines.get(2)).startsWith("hello-3 ").contains("Failed");
    int uidColumn = lines.get(0).indexOf("UID");
    for (String line : lines.subList(1, 4)) {
      assertThat(line.substring(uidColumn)).startsWith("uid-");
    }
    assertThat(r.err()).contains("--continue ");
  }

  @Test
  void list_json_pagesWithTheContinueToken() {
    Cli.Result first = Cli.run("list", "--db", url, "-n", "argo", "--limit", "3", "-o", "json");
    JsonNode page1 = JSON.readTree(first.out());
    String token = page1.path("metadata").path("continue").asString("");

    Cli.Result second = Cli.run("list", "--db", url, "-n", "argo", "--limit", "3", "-o", "json",
        "--continue", token);
    JsonNode page2 = JSON.readTree(second.out());

    assertThat(names(page1)).containsExactly("hello-4", "hello-3", "hello-2");
    assertThat(token).isNotEmpty();
    assertThat(names(page2)).containsExactly("hello-1", "hello-0");
    assertThat(page2.path("metadata").path("continue").isMissingNode()).isTrue();
  }

  @Test
  void list_yaml_filtersBySelectorAndSince() {
    Cli.Result r = Cli.run("list", "--db", url, "-l", "workflows.argoproj.io/phase=Failed",
        "--since", "2026-05-01T00:30:00Z", "-o", "yaml");

    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.OK);
    JsonNode list = new YAMLMapper().readTree(r.out());
    assertThat(names(list)).containsExactly("hello-6", "hello-3");
  }

  @Test
  void list_namePrefix_filters() {
    Cli.Result r = Cli.run("list", "--db", url, "--name-prefix", "hello-6", "-o", "json");

    assertThat(names(JSON.readTree(r.out()))).containsExactly("hello-6");
  }

  @Test
  void get_byUidAndByName_printsTheWholeWorkflow() {
    Cli.Result byUid = Cli.run("get", "uid-2", "--db", url, "-o", "json");
    Cli.Result byName = Cli.run("get", "ci/hello-5", "--db", url);

    assertThat(byUid.exitCode()).isEqualTo(ExitCodes.OK);
    JsonNode wf = JSON.readTree(byUid.out());
    assertThat(wf.path("metadata").path("name").asString()).isEqualTo("hello-2");
    assertThat(wf.path("spec").path("entrypoint").asString()).isEqualTo("main");
    assertThat(byName.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(byName.out()).contains("name: hello-5").contains("uid: uid-5");
  }

  @Test
  void get_missing_exits3() {
    Cli.Result byUid = Cli.run("get", "no-such-uid", "--db", url);
    Cli.Result byName = Cli.run("get", "argo/no-such-name", "--db", url);

    assertThat(byUid.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(byUid.err()).contains("archived workflow no-such-uid not found");
    assertThat(byName.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
  }

  @Test
  void delete_removesOnceThenExits3() {
    try (ArchiveStore store = ArchiveStore.open(StoreConfig.of(url, null, null))) {
      store.archive(List.of(WorkflowDocuments.fromWorkflow(workflow("doomed", "other",
          "uid-doomed", "Succeeded", "2026-04-01T00:00:00Z", "2026-04-01T00:00:10Z"), Cli.NOW)));
    }

    Cli.Result first = Cli.run("delete", "uid-doomed", "--db", url);
    Cli.Result again = Cli.run("delete", "uid-doomed", "--db", url);

    assertThat(first.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(first.out()).contains("deleted archived workflow uid-doomed");
    assertThat(again.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
  }

  @Test
  void list_otherCluster_seesNothing() {
    Cli.Result r = Cli.run(Map.of("ARCHIVIST_CLUSTER_NAME", "elsewhere"), "list", "--db", url);

    assertThat(r.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("No archived workflows found.");
  }

  @Test
  void listAndGet_overTheServerWithAToken(@TempDir Path dir) throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "s3cret-token\n");
    try (ArchiveStore store = ArchiveStore.open(StoreConfig.of(url, null, null));
        ArchiveServer server = Components.startServer(store,
            ServerOptions.defaults().withPort(0).withBindAddress("127.0.0.1")
                .withApiToken("s3cret-token").withReadOnly(true),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), null)) {
      String base = "http://127.0.0.1:" + server.port();

      Cli.Result list = Cli.run("list", "--server", base, "--token-file", token.toString(),
          "-n", "ci", "-o", "json");
      Cli.Result noToken = Cli.run("list", "--server", base);
      Cli.Result byName = Cli.run("get", "ci/hello-6", "--server", base, "--token-file",
          token.toString(), "-o", "json");
      Cli.Result missing = Cli.run("get", "no-such-uid", "--server", base, "--token-file",
          token.toString());
      Cli.Result readOnly = Cli.run("delete", "uid-1", "--server", base, "--token-file",
          token.toString());

      assertThat(list.exitCode()).as(list.err()).isEqualTo(ExitCodes.OK);
      assertThat(names(JSON.readTree(list.out()))).containsExactly("hello-6", "hello-5");
      assertThat(noToken.exitCode()).isEqualTo(ExitCodes.ERROR);
      assertThat(noToken.err()).contains("HTTP 401", "--token-file");
      assertThat(JSON.readTree(byName.out()).path("metadata").path("uid").asString())
          .isEqualTo("uid-6");
      assertThat(missing.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
      assertThat(readOnly.exitCode()).isEqualTo(ExitCodes.ERROR);
      assertThat(readOnly.err()).contains("HTTP 403");
    }
  }

  @Test
  void quarantine_listsTheStoresQuarantineLog() {
    try (ArchiveStore store = ArchiveStore.open(StoreConfig.of(url, null, null))) {
      store.quarantine().record(new QuarantineEntry("uid-q", "argo", "huge-1", 10,
          "row rejected: workflow too large (SQL state 54000)",
          Instant.parse("2026-05-01T10:00:00Z"), Instant.parse("2026-05-01T11:00:00Z")));
    }

    Cli.Result table = Cli.run("quarantine", "--db", url);
    Cli.Result json = Cli.run("quarantine", "--db", url, "-o", "json");

    assertThat(table.exitCode()).as(table.err()).isEqualTo(ExitCodes.OK);
    List<String> lines = table.out().lines().toList();
    assertThat(lines.get(0)).matches("NAMESPACE +NAME +FAILURES +SINCE +UID +LAST ERROR");
    assertThat(lines.get(1)).contains("argo", "huge-1", "10", "120m", "uid-q", "too large");
    JsonNode item = JSON.readTree(json.out()).path("items").path(0);
    assertThat(item.path("name").asString()).isEqualTo("huge-1");
    assertThat(item.path("failures").asInt()).isEqualTo(10);
  }

  private static List<String> names(JsonNode list) {
    List<String> names = new ArrayList<>();
    for (JsonNode item : list.path("items")) {
      names.add(item.path("metadata").path("name").asString());
    }
    return names;
  }

  static ObjectNode workflow(String name, String ns, String uid, String phase, String started,
      String finished) {
    return WorkflowBuilder.workflow(ns, name).uid(uid).createdAt(Instant.parse(started))
        .phase(phase).completed(true).startedAt(Instant.parse(started))
        .finishedAt(Instant.parse(finished)).build();
  }
}
