package dev.archivist.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.archivist.store.QuarantineEntry;
import dev.archivist.testing.HttpTestClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What the server does with an access control's answers, per endpoint: lists narrowed to the
 * namespaces a caller may list, 403 on another namespace's workflow, deletes only with the
 * right, label lookups and the quarantine without other namespaces' data, and 503 when access
 * cannot be decided. Over real HTTP and a real PostgreSQL archive.
 */
class AuthorizationTest extends ServerOverArchiveTest {
  private RuleAccess access;
  private int port;

  @BeforeEach
  void seedAndStart() {
    TestWorkflows.archive(store, List.of(
        TestWorkflows.workflow("team-a", "a-one", "uid-a1", "Succeeded", TestWorkflows.NOW,
            Map.of("team", "alpha")),
        TestWorkflows.workflow("team-b", "b-one", "uid-b1", "Failed",
            TestWorkflows.NOW.plusSeconds(10), Map.of("team", "bravo", "secret-key", "x"))));
    access = new RuleAccess(
        Map.of("alice-token", "alice", "admin-token", "admin", "bob-token", "bob"),
        Set.of("alice list team-a", "alice get team-a",
            "bob list team-a", "bob get team-a", "bob delete team-a",
            "admin list *", "admin get *", "admin delete *"));
    QuarantineSource quarantine = () -> List.of(
        new QuarantineEntry("", "team-a", "qa", 3, "timed out", TestWorkflows.NOW,
            TestWorkflows.NOW),
        new QuarantineEntry("", "team-b", "qb", 3, "secret in error", TestWorkflows.NOW,
            TestWorkflows.NOW));
    port = started(ArchiveServer.start(store, onLoopback().withUiResourceRoot("/test-ui"),
        registry, List.of(), quarantine, access)).port();
  }

  @AfterEach
  void deleteSeeds() {
    store.delete("uid-a1");
    store.delete("uid-b1");
  }

  private HttpTestClient as(String token) {
    return new HttpTestClient(port, token);
  }

  private static List<String> names(JsonNode list) {
    List<String> names = new ArrayList<>();
    list.get("items").forEach(i -> names.add(i.at("/metadata/name").asString()));
    return names;
  }

  @Test
  void list_acrossNamespaces_showsOnlyTheListableOnes() {
    assertThat(names(as("alice-token").get(LIST).json())).containsExactly("a-one");
    assertThat(names(as("admin-token").get(LIST).json())).containsExactly("b-one", "a-one");
  }

  @Test
  void list_ofANamespaceNotAllowed_is403NamingIt() {
    HttpTestClient.Response r = as("alice-token").get(LIST + "?namespace=team-b");
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.json().get("code").asInt()).isEqualTo(7);
    assertThat(r.json().get("message").asString()).contains("\"alice\" may not list",
        "workflows.argoproj.io", "team-b");
    assertThat(r.body()).doesNotContain("b-one");
    assertThat(as("alice-token").get(LIST + "?listOptions.fieldSelector="
        + HttpTestClient.enc("metadata.namespace=team-b")).status()).isEqualTo(403);
  }

  @Test
  void get_anotherNamespacesWorkflow_is403_andByName_too() {
    assertThat(as("alice-token").get(LIST + "/uid-a1").status()).isEqualTo(200);
    HttpTestClient.Response other = as("alice-token").get(LIST + "/uid-b1");
    assertThat(other.status()).isEqualTo(403);
    assertThat(other.body()).doesNotContain("b-one").doesNotContain("bravo");
    assertThat(as("alice-token").get(LIST + "/?namespace=team-b&name=b-one").status())
        .isEqualTo(403);
  }

  @Test
  void delete_needsTheDeleteRightInTheWorkflowsNamespace() {
    HttpTestClient.Response denied = as("alice-token").delete(LIST + "/uid-a1");
    assertThat(denied.status()).isEqualTo(403);
    assertThat(denied.json().get("message").asString()).contains("may not delete");
    assertThat(store.exists("uid-a1")).isTrue();
    assertThat(as("bob-token").delete(LIST + "/uid-b1").status()).isEqualTo(403);
    assertThat(store.exists("uid-b1")).isTrue();
    assertThat(as("bob-token").delete(LIST + "/uid-a1").status()).isEqualTo(200);
    assertThat(store.exists("uid-a1")).isFalse();
  }

  @Test
  void labelKeysAndValues_comeOnlyFromListableNamespaces() {
    JsonNode keys = as("alice-token").get("/api/v1/archived-workflows-label-keys").json();
    assertThat(keys.toString()).contains("team").doesNotContain("secret-key");
    JsonNode values = as("alice-token").get("/api/v1/archived-workflows-label-values"
        + "?listOptions.labelSelector=team").json();
    assertThat(values.get("items").toString()).isEqualTo("[\"alpha\"]");
    assertThat(as("admin-token").get("/api/v1/archived-workflows-label-keys").body())
        .contains("secret-key");
  }

  @Test
  void quarantine_showsOnlyListableNamespaces() {
    JsonNode items = as("alice-token").get(QuarantineApi.PATH).json().get("items");
    assertThat(items).hasSize(1);
    assertThat(items.get(0).get("name").asString()).isEqualTo("qa");
  }

  @Test
  void userinfo_namesTheCallerAndTheNamespacesTheyMayList() {
    JsonNode alice = as("alice-token").get(InfoApi.USER_INFO).json();
    assertThat(alice.get("name").asString()).isEqualTo("alice");
    assertThat(alice.get("authMode").asString()).isEqualTo("kubernetes");
    assertThat(alice.get("allNamespaces").asBoolean()).isFalse();
    assertThat(alice.get("namespaces").toString()).isEqualTo("[\"team-a\"]");
    assertThat(alice.get("groups").toString()).isEqualTo("[\"testers\"]");
    assertThat(as("admin-token").get(InfoApi.USER_INFO).json().get("allNamespaces").asBoolean())
        .isTrue();
  }

  @Test
  void noOrBadToken_is401_butInfoStaysOpenAndSaysTheMode() {
    HttpTestClient.Response none = new HttpTestClient(port).get(LIST);
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
    assertThat(as("forged").get(InfoApi.USER_INFO).status()).isEqualTo(401);
    assertThat(new HttpTestClient(port).get("/api/v1/info").json().get("authMode").asString())
        .isEqualTo("kubernetes");
  }

  @Test
  void accessOutage_failsClosedWith503() {
    access.down.set(true);
    for (String path : List.of(LIST, LIST + "/uid-a1", InfoApi.USER_INFO)) {
      HttpTestClient.Response r = as("admin-token").get(path);
      assertThat(r.status()).as(path).isEqualTo(503);
      assertThat(r.body()).doesNotContain("a-one");
    }
    assertThat(as("admin-token").delete(LIST + "/uid-a1").status()).isEqualTo(503);
    assertThat(store.exists("uid-a1")).isTrue();
  }

  @Test
  void corsForAnyOrigin_onAnOpenServer_isRefusedAtStart() {
    assertThatThrownBy(() -> ArchiveServer.start(store,
        onLoopback().withCorsOrigins(List.of("*")), registry, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--cors-origin '*'");
  }
}
