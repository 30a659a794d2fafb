package dev.archivist.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.store.ArchiveStore;
import dev.archivist.store.QuarantineEntry;
import dev.archivist.store.StoreConfig;
import dev.archivist.testing.TestDatabase;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * An injection and traversal sweep over every endpoint: SQL fragments, NUL and other control
 * bytes, malformed and overlong UTF-8, path traversal (plain and encoded), CR/LF, wildcards,
 * huge and out-of-range numbers, and selector syntax, in every path segment, query parameter
 * and the headers the server reads, sent as raw bytes so nothing is normalised on the way. As
 * a caller who may see one namespace, as nobody, and with a forged token. Every answer must be
 * below 500, and none may carry the other namespace's data, a stack trace, SQL or a file from
 * outside the UI. The archive must be intact afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class InjectionSweepContract {
  private static final String MARKER = "S3CRET-MARKER";
  private static final String PRIVATE_NAME = "private-wf";

  /** Raw (already percent-encoded where needed) payloads. */
  static final List<String> PAYLOADS = List.of(
      "%00", "a%00b", "%27", "%27%20OR%20%271%27%3D%271", "%22%20OR%201%3D1--",
      "%27%3B%20DROP%20TABLE%20argo_archived_workflows%3B--", "1%3BSELECT%20pg_sleep(0)",
      "..%2F..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "..%5C..%5Cwindows",
      "%252e%252e%252f", "%ff%fe", "%c0%af", "%c0%ae%c0%ae%2f", "%ed%a0%80", "%e2%80%ae",
      "%0d%0aX-Injected:%201", "%25", "_", "%5C", "*", "%2A", "private", "%24%28id%29",
      "%7B%7Bconstructor%7D%7D", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "-1", "0",
      "99999999999999999999", "1e308", "NaN", "%7B%7D", "%5B%5D", "(", "!", "in%20(",
      "a%3D%3Db", "x%2Cy%21%3Dz", "team%20notin%20(public)", "team%20in%20(private)",
      "metadata.namespace%3Dprivate", "metadata.namespace%21%3Dpublic",
      "spec.startedAt%3E9999-99-99", "spec.startedAt%3C0000-00-00T00:00:00Z", "eyJ",
      "eyJzIjoiMjAyNC0wMS0wMVQwMDowMDowMFoiLCJ1IjoiJyBPUiAxPTEtLSJ9", "private%2F..%2Fpublic",
      "A".repeat(300), "B".repeat(5000), "%F0%9F%92%A9", "%E2%80%8B", "%08", "%7F");

  /** Query-string slots: {@code %s} is a payload. */
  static final List<String> QUERY_SLOTS = List.of(
      "/api/v1/archived-workflows?namespace=%s",
      "/api/v1/archived-workflows?name=%s&nameFilter=Contains",
      "/api/v1/archived-workflows?namePrefix=%s",
      "/api/v1/archived-workflows?nameFilter=%s&name=x",
      "/api/v1/archived-workflows?listOptions.labelSelector=%s",
      "/api/v1/archived-workflows?listOptions.labelSelector=team%%3D%s",
      "/api/v1/archived-workflows?listOptions.fieldSelector=%s",
      "/api/v1/archived-workflows?listOptions.fieldSelector=metadata.name%%3D%s",
      "/api/v1/archived-workflows?listOptions.limit=%s",
      "/api/v1/archived-workflows?listOptions.continue=%s",
      "/api/v1/archived-workflows?%s=1",
      "/api/v1/archived-workflows/?namespace=%s&name=x",
      "/api/v1/archived-workflows/?namespace=public&name=%s",
      "/api/v1/archived-workflows/%s",
      "/api/v1/archived-workflows/%s/..%%2F..%%2Fprivate",
      "/api/v1/archived-workflows-label-keys?%s=%s",
      "/api/v1/archived-workflows-label-values?listOptions.labelSelector=%s",
      "/api/v1/userinfo?namespace=%s",
      "/api/v1/quarantine?namespace=%s",
      "/api/v1/info?%s",
      "/api/%s",
      "/%s",
      "/js/%s",
      "/%s/..%%2F..%%2FMETA-INF%%2FMANIFEST.MF");

  /** Traversal paths on their own, for the static files and the API prefix. */
  static final List<String> TRAVERSALS = List.of(
      "/../../../../etc/passwd", "/..%2F..%2F..%2Fetc%2Fpasswd", "/%2e%2e/%2e%2e/etc/passwd",
      "/js/../../../../etc/passwd", "/js/..%2f..%2f..%2fdev/archivist/server/ArchiveApi.class",
      "/..;/..;/etc/passwd", "/ui/../openapi/archivist-api.json",
      "/api/v1/archived-workflows/..%2F..%2Fv1%2Fuserinfo", "/api/v1/../v1/archived-workflows",
      "/%2e%2e%5c%2e%2e%5cetc%5cpasswd", "//etc/passwd", "/META-INF/MANIFEST.MF",
      "/dev/archivist/server/ArchiveApi.class", "/simplelogger.properties");

  TestDatabase db;
  ArchiveStore store;
  ArchiveServer server;

  @BeforeAll
  void start(TestDatabase db) {
    this.db = db;
    store = ArchiveStore.open(StoreConfig.of(db.jdbcUrl(), null, null));
    store.migrate();
    TestWorkflows.archive(store, List.of(
        TestWorkflows.workflow("public", "public-wf", "uid-public", "Succeeded",
            TestWorkflows.NOW, Map.of("team", "public")),
        TestWorkflows.workflow("private", PRIVATE_NAME, "uid-private", "Failed",
            TestWorkflows.NOW.plusSeconds(1), Map.of("team", "private", "leak", MARKER))));
    RuleAccess access = new RuleAccess(Map.of("sweeper-token", "sweeper"),
        Set.of("sweeper list public", "sweeper get public", "sweeper delete public"));
    QuarantineSource quarantine = () -> List.of(new QuarantineEntry("uid-q", "private",
        PRIVATE_NAME, 1, MARKER, TestWorkflows.NOW, TestWorkflows.NOW));
    server = ArchiveServer.start(store, ServerOptions.defaults().withPort(0)
            .withBindAddress("127.0.0.1"), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
        List.of(), quarantine, access);
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
    if (store != null) {
      store.close();
    }
  }

  @Test
  void sweep_everyEndpointParameterAndHeader_answersBelow500AndLeaksNothing() {
    List<String> failures = new ArrayList<>();
    int sent = 0;
    for (String identity : new String[] {"Bearer sweeper-token", null, "Bearer forged"}) {
      for (String slot : QUERY_SLOTS) {
        for (String payload : PAYLOADS) {
          String path = slot.replace("%s", payload).replace("%%", "%");
          for (String method : new String[] {"GET", "DELETE"}) {
            if (method.equals("DELETE") && !slot.startsWith("/api/v1/archived-workflows/")) {
              continue;
            }
            check(failures, method, path, identity, Map.of());
            sent++;
          }
        }
      }
      for (String path : TRAVERSALS) {
        check(failures, "GET", path, identity, Map.of());
        sent++;
      }
    }
    // Headers the server reads: Authorization (both its scheme and its token), Origin, and
    // the ones a proxy adds, each with every payload, decoded to raw bytes.
    for (String payload : PAYLOADS) {
      String raw = decode(payload);
      for (Map.Entry<String, String> header : List.of(
          Map.entry("Authorization", "Bearer " + raw), Map.entry("Authorization", raw),
          Map.entry("Origin", raw), Map.entry("X-Forwarded-For", raw),
          Map.entry("Accept", raw), Map.entry("Cookie", "session=" + raw))) {
        check(failures, "GET", "/api/v1/archived-workflows", header.getKey().equals(
            "Authorization") ? null : "Bearer sweeper-token", Map.ofEntries(header));
        sent++;
      }
    }
    assertThat(failures).as("of %d requests", sent).isEmpty();
    assertThat(store.exists("uid-public")).isTrue();
    assertThat(store.exists("uid-private")).isTrue();
  }

  @Test
  void nulInAParameter_is400NamingIt() {
    String response = send("GET", "/api/v1/archived-workflows?namespace=%00",
        "Bearer sweeper-token", Map.of());
    assertThat(statusOf(response)).isEqualTo(400);
    assertThat(response).contains("namespace must not contain a NUL character");
  }

  private void check(List<String> failures, String method, String path, String auth,
      Map<String, String> headers) {
    String response = send(method, path, auth, headers);
    int status = statusOf(response);
    String what = method + " " + abbreviate(path) + " " + headers.keySet() + " as "
        + (auth == null ? "nobody" : abbreviate(auth)) + " -> ";
    if (status >= 500 || status < 100) {
      failures.add(what + abbreviate(response));
    }
    for (String leak : List.of(MARKER, PRIVATE_NAME, "\tat ", "Exception", "org.postgresql",
        "org.mariadb", "jdbc:", "FROM argo_archived", "root:x:0", "Main-Class", "CAFEBABE",
        "\u00ca\u00fe")) {
      if (response.contains(leak)) {
        failures.add(what + "carries \"" + leak.strip() + "\": " + abbreviate(response));
      }
    }
  }

  private String send(String method, String path, String auth, Map<String, String> headers) {
    StringBuilder request = new StringBuilder();
    request.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    if (auth != null) {
      request.append("Authorization: ").append(auth).append("\r\n");
    }
    headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
    request.append("Connection: close\r\n\r\n");
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + abbreviate(path), e);
    }
  }

  private static int statusOf(String response) {
    // "HTTP/1.1 400 Bad Request"
    try {
      return Integer.parseInt(response.substring(9, 12));
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /** Percent-decodes to raw bytes (as ISO-8859-1 chars), keeping malformed escapes as they are. */
  private static String decode(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length() + 0 && i + 2 <= s.length() - 1) {
        try {
          out.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
          i += 2;
          continue;
        } catch (NumberFormatException e) {
          // keep it
        }
      }
      out.append(c);
    }
    return out.toString();
  }

  private static String abbreviate(String s) {
    String one = s.replace("\r", "\\r").replace("\n", "\\n");
    return one.length() > 300 ? one.substring(0, 300) + "..." : one;
  }
}
