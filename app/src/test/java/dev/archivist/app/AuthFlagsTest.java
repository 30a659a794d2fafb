package dev.archivist.app;

import static dev.archivist.app.Cli.assertThatUsageError;
import static dev.archivist.app.Cli.parse;
import static dev.archivist.app.Cli.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.server.AuthMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code --auth-mode} and the start-up refusals that keep an open archive off the network. Every
 * refusal happens before a database or cluster is touched, exits 2 and names the flag.
 */
class AuthFlagsTest {

  static Stream<Cli.Refusal> refusals() {
    return Stream.of(
        // Refused naming the way out.
        refusal("run", "--auth-mode", "none", "--bind-address", "0.0.0.0")
            .says("--bind-address 0.0.0.0 is not a loopback address",
                "--auth-mode kubernetes or token", "--read-only",
                "--insecure-allow-unauthenticated")
            .hides("\tat "),
        // serve's default, none, on another address from the environment.
        refusal("serve").withEnv("ARCHIVIST_BIND_ADDRESS", "0.0.0.0")
            .says("--bind-address (from ARCHIVIST_BIND_ADDRESS) 0.0.0.0"),
        refusal("serve", "--auth-mode", "none", "--cors-origin", "*")
            .says("--cors-origin '*' needs --auth-mode token or kubernetes"),
        refusal("serve").withEnv("ARCHIVIST_AUTH_MODE", "ldap")
            .says("--auth-mode (from ARCHIVIST_AUTH_MODE) must be kubernetes, token or none, got"
                + " 'ldap'"),
        refusal("run", "--auth-cache-ttl", "0s")
            .says("--auth-cache-ttl must be a positive duration"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void unsafeOrUnknown_isRefused(Cli.Refusal refusal) {
    refusal.check();
  }

  @Test
  void tokenMode_withoutATokenFile_andATokenFileWithAnotherMode_areRefused(@TempDir Path dir)
      throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "t0ken\n");

    Cli.Result noFile = Cli.run("serve", "--auth-mode", "token");
    Cli.Result otherMode = Cli.run("run", "--auth-mode", "kubernetes", "--api-token-file",
        token.toString());

    assertThatUsageError(noFile).contains("--auth-mode token needs --api-token-file");
    assertThatUsageError(otherMode).contains("--api-token-file is for --auth-mode token")
        .doesNotContain("t0ken");
  }

  @Test
  void defaults_runIsKubernetesOnEveryInterface_serveIsOpenOnLoopback() {
    ServeCommand serve = parse("serve");
    AuthMode serveMode = serve.auth.resolve(AuthMode.NONE, serve.http.hasTokenFile());
    RunCommand run = parse("run");
    AuthMode runMode = run.auth.resolve(AuthMode.KUBERNETES, run.http.hasTokenFile());

    assertThat(serveMode).isEqualTo(AuthMode.NONE);
    assertThat(serve.http.options(serve.auth, serveMode).bindAddress()).isEqualTo("127.0.0.1");
    assertThat(runMode).isEqualTo(AuthMode.KUBERNETES);
    assertThat(run.http.options(run.auth, runMode).bindAddress()).isEqualTo("0.0.0.0");
  }

  @Test
  void none_onEveryInterface_isAllowedReadOnlyOrWithTheOverride() {
    for (String[] args : new String[][] {
        {"serve", "--bind-address", "0.0.0.0", "--read-only"},
        {"serve", "--bind-address", "0.0.0.0", "--insecure-allow-unauthenticated"},
        {"serve", "--bind-address", "localhost"}}) {
      ServeCommand serve = parse(args);
      AuthMode mode = serve.auth.resolve(AuthMode.NONE, false);
      assertThat(serve.http.options(serve.auth, mode).bindAddress()).isEqualTo(args[2]);
    }
  }

  @Test
  void tokenFile_impliesTokenMode(@TempDir Path dir) throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "t0ken\n");
    ServeCommand serve = parse("serve", "--api-token-file", token.toString());

    AuthMode mode = serve.auth.resolve(AuthMode.NONE, serve.http.hasTokenFile());

    assertThat(mode).isEqualTo(AuthMode.TOKEN);
    assertThat(serve.http.options(serve.auth, mode).bindAddress()).isEqualTo("0.0.0.0");
  }

  @Test
  void dbUrlWithAPassword_onTheCommandLine_isWarnedAboutWithoutShowingIt() {
    Cli.Result r = Cli.run("migrate", "--db",
        "jdbc:postgresql://127.0.0.1:1/x?user=u&password=hunter2", "--db-connect-timeout", "1s");

    assertThat(r.err()).contains("carries a password", "--db-password-file")
        .doesNotContain("hunter2");
  }
}
