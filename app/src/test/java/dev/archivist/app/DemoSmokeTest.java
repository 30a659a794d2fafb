package dev.archivist.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.archivist.testing.PostgresExtension;
import dev.archivist.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
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
    Cli.Started demo = Cli.start(Map.of(), "demo",
        "--db", db.jdbcUrl(), "--workflows", Integer.toString(WORKFLOWS), "--http-port", "0",
        "--archive-qps", "0", "--max-size", "16KiB", "--seed", "1");
    try {
      await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofMillis(100))
          .failFast("the demo exited: " + demo.err(), demo::exited)
          .until(() -> demo.out().contains("serving until Ctrl-C"));

      assertThat(demo.out()).contains("archived   " + WORKFLOWS + " of " + WORKFLOWS);
      Matcher m = Pattern.compile("API and UI at (http://localhost:\\d+/)").matcher(demo.out());
      assertThat(m.find()).as(demo.out()).isTrue();
      String base = m.group(1);
      JsonNode all = getJson(base + "api/v1/archived-workflows?listOptions.limit=1000");
      JsonNode five = getJson(base + "api/v1/archived-workflows?listOptions.limit=5");

      assertThat(all.path("items").size()).isEqualTo(WORKFLOWS);
      assertThat(five.path("items").size()).isEqualTo(5);
      assertThat(five.path("metadata").path("continue").asString("")).isNotEmpty();
    } finally {
      demo.stop();
    }
    assertThat(demo.exitCode()).as(demo.err()).isEqualTo(ExitCodes.OK);
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
