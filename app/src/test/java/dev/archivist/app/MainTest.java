package dev.archivist.app;

import static dev.archivist.app.Cli.assertThatUsageError;
import static dev.archivist.app.Cli.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.store.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class MainTest {

  @Test
  void help_listsEveryCommandWithADescription() {
    Cli.Result r = Cli.run("--help");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.OK);
    for (String command : new String[] {"run", "serve", "migrate", "list", "get", "delete",
        "demo", "quarantine", "release-finalizers"}) {
      assertThat(r.out()).containsPattern("(?m)^  " + command + " +\\S");
    }
    assertThat(r.out()).contains("ARCHIVIST_HTTP_PORT").contains("Exit codes:");
  }

  @Test
  void help_ofEverySubcommandNamesItsFlags() {
    assertThat(Cli.run("run", "--help").out())
        .contains("--kubeconfig", "--namespace", "--db", "--db-user", "--db-password-file",
            "--cluster-name", "--instance-id", "--archive-label-selector", "--archive-qps",
            "--archive-burst", "--kube-qps", "--kube-burst", "--workers", "--batch-size",
            "--queue-capacity", "--http-port", "--max-retries", "--api-token-file",
            "--read-only", "--delete-after", "--archive-ttl", "--gc-period", "--leader-elect",
            "--lease-name", "--lease-namespace", "--finalizer");
    assertThat(Cli.run("release-finalizers", "--help").out()).contains("--kubeconfig",
        "--namespace", "--instance-id", "--dry-run", "archivist.dev/archive");
    assertThat(Cli.run("serve", "--help").out()).contains("--db", "--http-port",
        "--api-token-file", "--read-only", "--cluster-name", "--instance-id");
    assertThat(Cli.run("list", "--help").out()).contains("--namespace", "--selector",
        "--name-prefix", "--since", "--limit", "--continue", "--output", "--server",
        "--token-file");
    assertThat(Cli.run("get", "--help").out()).contains("UID|NAMESPACE/NAME");
    assertThat(Cli.run("delete", "--help").out()).contains("UID");
    assertThat(Cli.run("migrate", "--help").out()).contains("--db");
    assertThat(Cli.run("demo", "--help").out()).contains("--workflows", "--archive-qps",
        "--min-size", "--max-size", "--size", "--fresh", "--data-dir", "--exit-when-done",
        "--http-port", "--workers", "--batch-size", "--queue-capacity", "--max-retries");
  }

  @Test
  void version_printsTheBuildVersion() {
    Cli.Result r = Cli.run("--version");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(r.out()).startsWith("archivist ").doesNotContain("unknown");
  }

  /**
   * Bad input, refused before anything starts: exit code 2 and a message that names the flag,
   * and the environment variable when the value came from one.
   */
  static Stream<Cli.Refusal> badInput() {
    return Stream.of(
        refusal().says("give a command", "Commands:"),
        refusal("run", "--archive-qps", "-3").says("--archive-qps must be >= 0, got -3")
            .hides("Exception", "\tat "),
        refusal("demo", "--workflows", "many").says("--workflows", "many"),
        refusal("run", "--worker", "3").says("--worker", "--workers"),
        refusal("run").withEnv("ARCHIVIST_ARCHIVE_QPS", "-3")
            .says("--archive-qps (from ARCHIVIST_ARCHIVE_QPS) must be >= 0, got -3"),
        refusal("serve").withEnv("ARCHIVIST_HTTP_PORT", "eighty").says("--http-port", "eighty"),
        // What only the controller's configs check, refused with their message.
        refusal("run", "--retry-base-delay", "10m", "--retry-max-delay", "1m")
            .says("--retry-max-delay must be >= --retry-base-delay"),
        refusal("run", "--leader-elect", "--lease-renew-deadline", "20s")
            .says("--lease-renew-deadline must be shorter than --lease-duration"),
        refusal("run", "--delete-after", "soon").says("--delete-after", "'soon' is not a duration"),
        refusal("run").withEnv("ARCHIVIST_ARGO_OFFLOAD_TABLE", "argo; drop table x")
            .says("--argo-offload-table (from ARCHIVIST_ARGO_OFFLOAD_TABLE) must be a table name",
                "'argo; drop table x'"),
        // A URL that is refused is not echoed with its password.
        refusal("run", "--argo-offload-db", "postgres://u:secret@argo-db/argo")
            .says("--argo-offload-db must be a jdbc:postgresql:").hides("secret"),
        refusal("migrate", "--db", "postgres://u:secret@host/db?password=secret")
            .says("--db must be a jdbc:postgresql:").hides("secret"),
        refusal("list", "--db", "bogus").says("--db must be a jdbc:postgresql:", "'bogus'"),
        refusal("list", "--db", "jdbc:postgresql://127.0.0.1:1/x", "--server", "http://127.0.0.1:1")
            .says("either --db or --server, not both"),
        refusal("list").says("--db", "--server"),
        refusal("list", "--server", "http://127.0.0.1:1", "--limit", "0")
            .says("--limit must be between 1 and 1000, got 0"),
        refusal("list", "--server", "http://127.0.0.1:1", "--since", "yesterday")
            .says("--since must be a duration"),
        refusal("get", "a/b/c", "--server", "http://127.0.0.1:1")
            .says("expected a UID or NAMESPACE/NAME, got 'a/b/c'"),
        refusal("demo", "--min-size", "8KiB", "--max-size", "4KiB")
            .says("--max-size must be >= --min-size (8KiB), got 4KiB"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInput")
  void badInput_exits2NamingTheProblem(Cli.Refusal refusal) {
    refusal.check();
  }

  @Test
  void demoWithKubeconfigOfARemoteServer_exits2BeforeStartingAnything(@TempDir Path dir)
      throws Exception {
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "https://192.0.2.10:6443"}}]
        users: [{name: u, user: {token: not-a-secret}}]
        contexts: [{name: x, context: {cluster: c, user: u}}]
        current-context: x
        """);
    Cli.Result r = Cli.run("demo", "--kubeconfig", kubeconfig.toString(),
        "--data-dir", dir.resolve("data").toString());

    assertThatUsageError(r).contains("--kubeconfig", "loopback", "https://192.0.2.10:6443");
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  void environmentVariable_isOverriddenByTheFlag() {
    Cli.Result r = Cli.run(Map.of("ARCHIVIST_WORKERS", "0"), "run", "--workers", "-1");

    assertThat(r.err()).contains("--workers must be >= 1, got -1");
  }

  @Test
  void environmentVariable_showsAsTheDefaultInHelp() {
    Cli.Result r = Cli.run(Map.of("ARCHIVIST_HTTP_PORT", "9191"), "serve", "--help");

    assertThat(r.out()).contains("default: 9191");
  }

  @Test
  void variableFor_mapsLongNamesToUpperSnakeCase() {
    assertThat(EnvironmentDefaults.variableFor("--archive-qps")).isEqualTo(
        "ARCHIVIST_ARCHIVE_QPS");
    assertThat(EnvironmentDefaults.variableFor("--db-password-file")).isEqualTo(
        "ARCHIVIST_DB_PASSWORD_FILE");
  }

  /** Every Duration flag, wherever it is declared, takes the same forms and says so. */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
      "run, --kube-request-timeout",
      "run, --retry-base-delay",
      "run, --lease-duration",
      "run, --auth-cache-ttl",
      "serve, --db-connect-timeout",
      "migrate, --db-statement-timeout",
      "list, --db-connect-timeout",
      "release-finalizers, --kube-request-timeout",
      "demo, --sweep-period"})
  void badDuration_exits2NamingTheFlagAndTheForms(String command, String flag) {
    Cli.Result r = Cli.run(command, flag, "soon");

    assertThatUsageError(r).contains("Invalid value for option '" + flag + "': 'soon' is not a"
        + " duration (write it like 500ms, 30s, 5m, 1h30m or 7d)");
  }

  @Test
  void missingPasswordFile_exits2NamingIt(@TempDir Path dir) {
    Path missing = dir.resolve("nope");

    Cli.Result r = Cli.run("migrate", "--db", "jdbc:postgresql://127.0.0.1:1/x",
        "--db-password-file", missing.toString());

    assertThatUsageError(r).contains("--db-password-file cannot be read", missing.toString());
  }

  @Test
  void dbTimeouts_reachTheStoreConfigAndMustBePositive() {
    MigrateCommand migrate = Cli.parse("migrate", "--db", "jdbc:postgresql://127.0.0.1/x",
        "--db-connect-timeout", "3s", "--db-statement-timeout", "5m");
    StoreConfig config = migrate.db.withTimeouts(StoreConfig.of("jdbc:postgresql://h/x", null,
        null));
    assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(config.statementTimeout()).isEqualTo(Duration.ofMinutes(5));

    MigrateCommand defaults = Cli.parse("migrate", "--db", "jdbc:postgresql://127.0.0.1/x");
    assertThat(defaults.db.withTimeouts(StoreConfig.of("jdbc:postgresql://h/x", null, null)))
        .isEqualTo(StoreConfig.of("jdbc:postgresql://h/x", null, null));

    Cli.Result r = Cli.run("migrate", "--db", "jdbc:postgresql://127.0.0.1:1/x",
        "--db-statement-timeout", "0s");
    assertThatUsageError(r).contains("--db-statement-timeout must be a positive duration");
  }

  @Test
  void list_unreachableServer_exits1WithoutStackTrace() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }

    Cli.Result r = Cli.run("list", "--server", "http://127.0.0.1:" + port);

    assertThat(r.exitCode()).isEqualTo(ExitCodes.ERROR);
    assertThat(r.err()).contains("cannot reach the archivist server").doesNotContain("\tat ");
  }

  @Test
  void apiTokenFile_empty_exits2(@TempDir Path dir) throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "\n");

    Cli.Result r = Cli.run("serve", "--api-token-file", token.toString());

    assertThatUsageError(r).contains("--api-token-file names an empty file");
  }
}
