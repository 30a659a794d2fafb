package dev.archivist.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.archivist.testing.PostgresExtension;
import dev.archivist.testing.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole demo pipeline, end to end and for real: the in-process Kubernetes API, the
 * generator, the controller, the test's PostgreSQL and the HTTP server; then the archive is read
 * back through the HTTP API.
 */
@ExtendWith(PostgresExtension.class)
class DemoSmokeTest {
  private static final int WORKFLOWS = 30;

  @Test
  void demo_archivesEveryWorkflowAndServesThemOverHttp(TestDatabase db) throws Exception {
    CommandLine cl = Main.commandLine(Map.of(), Clock.systemUTC());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cl.execute("demo",
        "--db", db.jdbcUrl(), "--workflows", Integer.toString(WORKFLOWS), "--http-port", "0",
        "--archive-qps", "0", "--max-size", "16KiB", "--seed", "1"));
    DemoCommand demo = cl.getSubcommands().get("demo").getCommand();
    try {
      await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofMillis(100))
          .failFast("the demo exited: " + err, exit::isDone)
          .until(() -> out.toString().contains("serving until Ctrl-C"));

      assertThat(out.toString()).contains("archived   " + WORKFLOWS + " of " + WORKFLOWS);
      Matcher m = Pattern.compile("API and UI at (http://localhost:\\d+/)").matcher(out.toString());
      assertThat(m.find()).as(out.toString()).isTrue();
      String base = m.group(1);
      JsonNode all = getJson(base + "api/v1/archived-workflows?listOptions.limit=1000");
      JsonNode five = getJson(base + "api/v1/archived-workflows?listOptions.limit=5");

      assertThat(all.path("items").size()).isEqualTo(WORKFLOWS);
      assertThat(five.path("items").size()).isEqualTo(5);
      assertThat(five.path("metadata").path("continue").asString("")).isNotEmpty();
    } finally {
      demo.stop();
    }
    assertThat(exit.get(60, TimeUnit.SECONDS)).as(err.toString()).isEqualTo(ExitCodes.OK);
  }

  @Test
  void demo_exitWhenDone_printsTheSummaryAndExits0(TestDatabase db) {
    Cli.Result r = Cli.run(Map.of(), Clock.systemUTC(), "demo", "--db", db.jdbcUrl(),
        "--workflows", "5", "--http-port", "0", "--size", "4KiB", "--exit-when-done",
        "--cluster-name", "exit-when-done");

    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.OK);
    assertThat(r.out()).contains("archived   5 of 5", "workflows/s", "API and UI at");
  }

  private static JsonNode getJson(String url) throws Exception {
    HttpResponse<String> resp = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
    return JsonMapper.builder().build().readTree(resp.body());
  }
}
