package dev.archivist.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.store.ArchiveStore;
import dev.archivist.store.QuarantineEntry;
import dev.archivist.store.StoreConfig;
import dev.archivist.testing.FreePorts;
import dev.archivist.testing.HttpTestClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Everything around the archive API: the token, read-only, health, readiness, metrics, the UI,
 * CORS and the OpenAPI document, over real HTTP and a real PostgreSQL archive.
 */
class ServerBehaviourTest extends ServerOverArchiveTest {
  private static final String TOKEN = "t0ken-for-tests";
  /** Placeholder assets in test resources, so these tests never depend on the real UI. */
  private static final String TEST_UI = "/test-ui";

  @BeforeAll
  static void seed() {
    TestWorkflows.archive(store, List.of(TestWorkflows.workflow("argo", "kept", "uid-kept",
        "Succeeded", TestWorkflows.NOW, Map.of())));
  }

  private static ServerOptions loopback() {
    return onLoopback().withUiResourceRoot(TEST_UI);
  }

  private ArchiveServer start(ServerOptions options, ReadinessCheck... checks) {
    return start(store, options, checks);
  }

  private ArchiveServer start(ArchiveStore archive, ServerOptions options,
      ReadinessCheck... checks) {
    return started(ArchiveServer.start(archive, options, registry, List.of(checks)));
  }

  private static void assertJsonError(HttpTestClient.Response response, int status, int code,
      String... fragments) {
    assertThat(response.status()).as("%s", response).isEqualTo(status);
    assertThat(response.header("Content-Type")).startsWith("application/json");
    JsonNode body = response.json();
    assertThat(body.get("code").asInt()).isEqualTo(code);
    assertThat(body.get("message").asString()).doesNotContain("\tat ");
    for (String fragment : fragments) {
      assertThat(body.get("message").asString()).contains(fragment);
    }
  }

  private static String resource(String path) {
    try (InputStream in = ServerBehaviourTest.class.getResourceAsStream(path)) {
      assertThat(in).as(path).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void start_portZero_bindsAFreePortAndCloseIsIdempotent() {
    ArchiveServer server = start(loopback());
    assertThat(server.port()).isPositive();
    assertThat(new HttpTestClient(server.port()).get("/healthz").status()).isEqualTo(200);
    server.close();
    server.close();
  }

  @Test
  void start_portInUse_failsNamingTheAddress() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1,
        java.net.InetAddress.getByName("127.0.0.1"))) {
      ServerOptions options = loopback().withPort(taken.getLocalPort());
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> start(options))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("127.0.0.1:" + taken.getLocalPort())
          .hasMessageContaining("--http-port");
    }
  }

  @Test
  void token_missing_is401WithABearerChallenge() {
    ArchiveServer server = start(loopback().withApiToken(TOKEN));
    HttpTestClient.Response response = new HttpTestClient(server.port()).get(LIST);
    assertJsonError(response, 401, 16, "Authorization: Bearer");
    assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
  }

  @Test
  void token_wrongOrWrongScheme_is401() {
    ArchiveServer server = start(loopback().withApiToken(TOKEN));
    assertJsonError(new HttpTestClient(server.port(), "nope").get(LIST), 401, 16, "not valid");
    assertJsonError(new HttpTestClient(server.port(), TOKEN + "x").get(LIST), 401, 16,
        "not valid");
    assertJsonError(new HttpTestClient(server.port()).get(LIST + "/uid-kept",
        "Authorization", "Basic " + TOKEN), 401, 16, "Bearer scheme");
    assertJsonError(new HttpTestClient(server.port()).delete(LIST + "/uid-kept"), 401, 16);
    assertThat(store.exists("uid-kept")).isTrue();
  }

  @Test
  void token_right_opensEveryApiPath() {
    ArchiveServer server = start(loopback().withApiToken(TOKEN));
    HttpTestClient http = new HttpTestClient(server.port(), TOKEN);
    assertThat(http.get(LIST).status()).isEqualTo(200);
    assertThat(http.get(LIST + "/uid-kept").status()).isEqualTo(200);
    assertThat(http.get("/api/v1/archived-workflows-label-keys").status()).isEqualTo(200);
    assertThat(http.get("/api/openapi.json").status()).isEqualTo(200);
    assertThat(new HttpTestClient(server.port()).get(LIST,
        "Authorization", "bearer " + TOKEN).status()).as("scheme is case-insensitive")
        .isEqualTo(200);
  }

  @Test
  void token_isNotNeededForHealthMetricsAndUi() {
    ArchiveServer server = start(loopback().withApiToken(TOKEN));
    HttpTestClient http = new HttpTestClient(server.port());
    assertThat(http.get("/healthz").status()).isEqualTo(200);
    assertThat(http.get("/readyz").status()).isEqualTo(200);
    assertThat(http.get("/metrics").status()).isEqualTo(200);
    assertThat(http.get("/").status()).isEqualTo(200);
    assertThat(http.get("/api/openapi.json").status()).isEqualTo(401);
  }

  @Test
  void noToken_leavesTheApiOpen() {
    ArchiveServer server = start(loopback());
    assertThat(new HttpTestClient(server.port()).get(LIST).status()).isEqualTo(200);
  }

  @Test
  void delete_readOnly_is403AndKeepsTheRow() {
    ArchiveServer server = start(loopback().withReadOnly(true));
    HttpTestClient http = new HttpTestClient(server.port());
    assertJsonError(http.delete(LIST + "/uid-kept"), 403, 7, "read-only", "uid-kept");
    assertThat(store.exists("uid-kept")).isTrue();
    assertThat(http.get(LIST + "/uid-kept").status()).isEqualTo(200);
  }

  @Test
  void info_saysWhetherTheServerIsReadOnly() {
    JsonNode writable = new HttpTestClient(start(loopback()).port()).get("/api/v1/info").json();
    assertThat(writable.get("readOnly").asBoolean()).isFalse();
    assertThat(writable.get("version").asString()).isNotBlank();
    JsonNode readOnly = new HttpTestClient(start(loopback().withReadOnly(true)).port())
        .get("/api/v1/info").json();
    assertThat(readOnly.get("readOnly").asBoolean()).isTrue();
  }

  @Test
  void healthz_isOk() {
    HttpTestClient.Response response = new HttpTestClient(start(loopback()).port())
        .get("/healthz");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok");
  }

  @Test
  void readyz_everyCheckPasses_is200NamingThem() {
    ArchiveServer server = start(loopback(), ReadinessCheck.of("informer", () -> true));
    HttpTestClient.Response response = new HttpTestClient(server.port()).get("/readyz");
    assertThat(response.status()).isEqualTo(200);
    JsonNode body = response.json();
    assertThat(body.get("status").asString()).isEqualTo("ready");
    assertThat(body.get("checks").findValuesAsString("name"))
        .containsExactly(ArchiveServer.DATABASE_CHECK, "informer");
  }

  @Test
  void readyz_aCheckFails_is503NamingIt() {
    AtomicBoolean synced = new AtomicBoolean(false);
    ArchiveServer server = start(loopback(), ReadinessCheck.ofStatus("informer",
        () -> synced.get() ? ReadinessCheck.Status.ok()
            : ReadinessCheck.Status.notReady("informer has not synced yet")),
        ReadinessCheck.of("other", () -> true));
    HttpTestClient http = new HttpTestClient(server.port());
    HttpTestClient.Response response = http.get("/readyz");
    assertThat(response.status()).isEqualTo(503);
    JsonNode body = response.json();
    assertThat(body.get("status").asString()).isEqualTo("not ready");
    assertThat(body.get("failed").toString()).isEqualTo("[\"informer\"]");
    assertThat(response.body()).contains("informer has not synced yet");

    synced.set(true);
    assertThat(http.get("/readyz").status()).isEqualTo(200);
  }

  @Test
  void readyz_aCheckThrows_is503WithItsMessage() {
    ArchiveServer server = start(loopback(), ReadinessCheck.ofStatus("flaky", () -> {
      throw new IllegalStateException("lost the lease");
    }));
    HttpTestClient.Response response = new HttpTestClient(server.port()).get("/readyz");
    assertThat(response.status()).isEqualTo(503);
    assertThat(response.body()).contains("flaky", "lost the lease");
  }

  @Test
  void databaseDown_apiIs503AndReadyzNamesTheDatabase() throws IOException {
    int closedPort = FreePorts.loopback();
    StoreConfig unreachable = new StoreConfig("jdbc:postgresql://127.0.0.1:" + closedPort
        + "/archive", "nobody", null, "default", "", 2, Duration.ofMillis(500),
        Duration.ofSeconds(2));
    try (ArchiveStore down = ArchiveStore.open(unreachable)) {
      ArchiveServer server = start(down, loopback().withReadinessTimeout(Duration.ofMillis(500)));
      HttpTestClient http = new HttpTestClient(server.port());
      HttpTestClient.Response list = http.get(LIST);
      assertJsonError(list, 503, 14, "database is unavailable");
      assertThat(list.body()).doesNotContain("Exception", "jdbc:");
      HttpTestClient.Response ready = http.get("/readyz");
      assertThat(ready.status()).isEqualTo(503);
      assertThat(ready.json().get("failed").toString()).contains(ArchiveServer.DATABASE_CHECK);
    }
  }

  @Test
  void metrics_arePrometheusTextWithRequestTimings() {
    registry.counter("archivist_test_marker").increment();
    ArchiveServer server = start(loopback());
    HttpTestClient http = new HttpTestClient(server.port());
    http.get(LIST + "/uid-kept");
    HttpTestClient.Response response = http.get("/metrics");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Content-Type")).isEqualTo(HealthEndpoints.PROMETHEUS_TEXT);
    assertThat(response.body()).contains("archivist_test_marker_total 1.0")
        .contains("http_server_requests_seconds_count{method=\"GET\","
            + "route=\"/api/v1/archived-workflows/{uid}\",status=\"200\"} 1");
  }

  @Test
  void metrics_openMetricsWhenAsked() {
    HttpTestClient.Response response = new HttpTestClient(start(loopback()).port())
        .get("/metrics", "Accept", "application/openmetrics-text; version=1.0.0");
    assertThat(response.header("Content-Type")).startsWith("application/openmetrics-text");
    assertThat(response.body()).contains("# EOF");
  }

  @Test
  void ui_indexAtRootAndFilesByPath_withSecurityHeaders() {
    HttpTestClient http = new HttpTestClient(start(loopback()).port());
    HttpTestClient.Response index = http.get("/");
    assertThat(index.status()).isEqualTo(200);
    assertThat(index.header("Content-Type")).startsWith("text/html");
    assertThat(index.body()).isEqualTo(resource(TEST_UI + "/index.html"));
    assertThat(index.header("Content-Security-Policy")).contains("default-src 'self'")
        .contains("frame-ancestors 'none'").doesNotContain("http");
    assertThat(index.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(index.header("X-Frame-Options")).isEqualTo("DENY");
    assertThat(index.header("Referrer-Policy")).isEqualTo("no-referrer");

    HttpTestClient.Response script = http.get("/app.js");
    assertThat(script.status()).isEqualTo(200);
    assertThat(script.header("Content-Type")).contains("javascript");
    assertThat(script.body()).isEqualTo(resource(TEST_UI + "/app.js"));
    assertThat(script.header("Content-Security-Policy")).isNotNull();

    assertThat(http.get("/missing.js").status()).isEqualTo(404);
  }

  @Test
  void ui_absent_rootExplainsAndPointsAtTheApi() {
    HttpTestClient http = new HttpTestClient(start(loopback()
        .withUiResourceRoot("/no-such-ui")).port());
    HttpTestClient.Response index = http.get("/");
    assertThat(index.status()).isEqualTo(200);
    assertThat(index.body()).contains("no web UI", "/api/v1/archived-workflows");
    assertThat(index.header("Content-Security-Policy")).contains("default-src 'self'");
  }

  @Test
  void cors_offByDefault() {
    HttpTestClient http = new HttpTestClient(start(loopback()).port());
    HttpTestClient.Response response = http.get(LIST, "Origin", "https://evil.example.com");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("Access-Control-Allow-Origin")).isNull();
  }

  @Test
  void cors_onForConfiguredOriginsOnly_andPreflightNeedsNoToken() {
    ArchiveServer server = start(loopback().withApiToken(TOKEN)
        .withCorsOrigins(List.of("https://argo.example.com")));
    HttpTestClient http = new HttpTestClient(server.port(), TOKEN);
    assertThat(http.get(LIST, "Origin", "https://argo.example.com")
        .header("Access-Control-Allow-Origin")).isEqualTo("https://argo.example.com");
    assertThat(http.get(LIST, "Origin", "https://evil.example.com")
        .header("Access-Control-Allow-Origin")).isNull();

    HttpTestClient.Response preflight = new HttpTestClient(server.port()).send("OPTIONS", LIST,
        "Origin", "https://argo.example.com", "Access-Control-Request-Method", "GET",
        "Access-Control-Request-Headers", "authorization");
    assertThat(preflight.status()).isEqualTo(200);
    assertThat(preflight.header("Access-Control-Allow-Origin"))
        .isEqualTo("https://argo.example.com");
    assertThat(preflight.header("Access-Control-Allow-Headers")).containsIgnoringCase(
        "authorization");
  }

  @Test
  void unknownApiPathOrMethod_isJson404Or405() {
    HttpTestClient http = new HttpTestClient(start(loopback()).port());
    assertJsonError(http.get("/api/v1/workflows"), 404, 5, "/api/v1/workflows");
    HttpTestClient.Response put = http.send("PUT", LIST + "/uid-kept");
    assertJsonError(put, 405, 12, "PUT");
    assertThat(put.header("Allow")).contains("GET", "DELETE");
  }

  @Test
  void malformedEscapes_areJson400() {
    HttpTestClient http = new HttpTestClient(start(loopback()).port());
    // java.net.URI refuses to build such a request; speak HTTP directly.
    String queryReply = RawHttp.get(http, LIST + "?namespace=%zz");
    assertThat(queryReply).startsWith("HTTP/1.1 400").contains("application/json")
        .contains("percent-escape");
    String pathReply = RawHttp.get(http, LIST + "/%zz");
    assertThat(pathReply).startsWith("HTTP/1.1 400").contains("application/json")
        .contains("\"code\":3").doesNotContain("<html");
  }

  @Test
  void openApi_describesEveryRouteAndOnlyRealOnes() {
    HttpTestClient http = new HttpTestClient(start(loopback()).port());
    HttpTestClient.Response response = http.get(ArchiveServer.OPENAPI_PATH);
    assertThat(response.status()).isEqualTo(200);
    JsonNode doc = response.json();
    assertThat(doc.get("openapi").asString()).startsWith("3.");
    Map<String, List<String>> routes = Map.ofEntries(
        Map.entry(ArchiveApi.LIST, List.of("get")),
        Map.entry(ArchiveApi.LIST_SLASH, List.of("get")),
        Map.entry(ArchiveApi.ONE, List.of("get", "delete")),
        Map.entry(ArchiveApi.LABEL_KEYS, List.of("get")),
        Map.entry(ArchiveApi.LABEL_VALUES, List.of("get")),
        Map.entry(QuarantineApi.PATH, List.of("get")),
        Map.entry(InfoApi.PATH, List.of("get")),
        Map.entry(InfoApi.USER_INFO, List.of("get")),
        Map.entry(ArchiveServer.OPENAPI_PATH, List.of("get")),
        Map.entry(HealthEndpoints.HEALTHZ, List.of("get")),
        Map.entry(HealthEndpoints.READYZ, List.of("get")),
        Map.entry(HealthEndpoints.METRICS, List.of("get")));
    JsonNode paths = doc.get("paths");
    assertThat(paths.propertyNames()).containsExactlyInAnyOrderElementsOf(routes.keySet());
    routes.forEach((path, methods) -> {
      List<String> documented = new ArrayList<>();
      paths.get(path).propertyNames().forEach(m -> {
        if (!m.equals("parameters")) {
          documented.add(m);
        }
      });
      assertThat(documented).as(path).containsExactlyInAnyOrderElementsOf(methods);
    });
    // Every documented list parameter is one the server reads.
    doc.get("components").get("parameters").forEach(p -> assertThat(List.of(
        ListRequestParser.NAMESPACE, ListRequestParser.NAME_PREFIX,
        ListRequestParser.NAME_FILTER, ListRequestParser.LABEL_SELECTOR,
        ListRequestParser.FIELD_SELECTOR, ListRequestParser.LIMIT, ListRequestParser.CONTINUE))
        .contains(p.get("name").asString()));
  }

  @Test
  void quarantine_listsTheSourceOldestFirst() {
    java.time.Instant t = TestWorkflows.NOW;
    // An empty uid stands for one not known at the last attempt.
    QuarantineSource source = () -> List.of(
        new QuarantineEntry("", "argo", "later", 3, "timed out", t.plusSeconds(60),
            t.plusSeconds(60)),
        new QuarantineEntry("uid-huge", "argo", "huge", 10,
            "row rejected: too large (SQL state 54000)", t, t));
    ArchiveServer server = started(ArchiveServer.start(store, loopback().withApiToken(TOKEN),
        registry, List.of(), source));
    assertThat(new HttpTestClient(server.port()).get(QuarantineApi.PATH).status())
        .as("behind the token like the rest of /api").isEqualTo(401);
    HttpTestClient.Response response = new HttpTestClient(server.port(), TOKEN)
        .get(QuarantineApi.PATH);
    assertThat(response.status()).isEqualTo(200);
    JsonNode items = response.json().get("items");
    assertThat(items).hasSize(2);
    assertThat(items.get(0).get("name").asString()).isEqualTo("huge");
    assertThat(items.get(0).get("uid").asString()).isEqualTo("uid-huge");
    assertThat(items.get(0).get("failures").asInt()).isEqualTo(10);
    assertThat(items.get(0).get("lastError").asString()).contains("54000");
    assertThat(items.get(0).get("since").asString()).isEqualTo(t.toString());
    assertThat(items.get(1).get("name").asString()).isEqualTo("later");
    assertThat(items.get(1).has("uid")).isFalse();
  }

  @Test
  void quarantine_withoutASource_is404() {
    assertJsonError(new HttpTestClient(start(loopback()).port()).get(QuarantineApi.PATH), 404, 5,
        QuarantineApi.PATH);
  }
}
