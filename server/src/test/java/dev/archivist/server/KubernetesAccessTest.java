package dev.archivist.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.archivist.testing.Fixtures;
import dev.archivist.testing.FreePorts;
import dev.archivist.testing.HttpTestClient;
import dev.archivist.testing.KubeExtension;
import dev.archivist.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * {@code --auth-mode kubernetes} against the real API server: ServiceAccount tokens checked by
 * TokenReview, each namespace authorized by SubjectAccessReview from real RBAC, the reviews
 * made as a ServiceAccount holding only the rules of {@code deploy/rbac.yaml}, and reviews that
 * get no answer failing closed. Over a real PostgreSQL archive that holds workflows of the
 * test's namespace and of another one.
 */
@ExtendWith(KubeExtension.class)
class KubernetesAccessTest extends ServerOverArchiveTest {
  private static final List<PolicyRule> READ = List.of(workflows("list", "get"));
  private static final List<PolicyRule> READ_DELETE = List.of(workflows("list", "get", "delete"));

  private static PolicyRule workflows(String... verbs) {
    return new PolicyRuleBuilder().withApiGroups("argoproj.io").withResources("workflows")
        .withVerbs(verbs).build();
  }

  /** Archives one workflow in the test's namespace and one in another; returns their uids. */
  private static String[] seed(TestNamespace ns) {
    String mine = ns.name() + "-uid";
    String theirs = ns.name() + "-other-uid";
    TestWorkflows.archive(store, List.of(
        TestWorkflows.workflow(ns.name(), "mine", mine, "Succeeded", TestWorkflows.NOW, Map.of()),
        TestWorkflows.workflow("other-" + ns.name(), "theirs", theirs, "Failed",
            TestWorkflows.NOW.plusSeconds(1), Map.of("secret", "other-team"))));
    return new String[] {mine, theirs};
  }

  /**
   * The rules {@code deploy/rbac.yaml}'s ClusterRole gives Archivist, for a reviewer
   * ServiceAccount of this test: the reviews succeed with them and nothing more.
   */
  private static List<PolicyRule> deployRbacRules(TestNamespace ns) throws IOException {
    Path file = Path.of(System.getProperty(Fixtures.REPO_ROOT_PROPERTY), "deploy", "rbac.yaml");
    List<HasMetadata> objects;
    try (InputStream in = Files.newInputStream(file)) {
      objects = ns.admin().load(in).items();
    }
    List<PolicyRule> rules = new ArrayList<>();
    for (HasMetadata o : objects) {
      if (o instanceof ClusterRole role) {
        rules.addAll(role.getRules());
      }
    }
    assertThat(rules).as("deploy/rbac.yaml's ClusterRole").isNotEmpty();
    // Reviews first, so that actAs waits until the server grants them.
    rules.sort((a, b) -> Boolean.compare(!a.getResources().contains("tokenreviews"),
        !b.getResources().contains("tokenreviews")));
    return rules;
  }

  /** A server whose reviews are made by a ServiceAccount bound to deploy/rbac.yaml's rules. */
  private HttpServerUnderTest start(TestNamespace ns) throws IOException {
    KubernetesClient reviewer = ns.actAs("archivist", List.of(), deployRbacRules(ns));
    return start(reviewer);
  }

  private HttpServerUnderTest start(KubernetesClient reviewer) {
    AccessControl access = AccessControl.kubernetes(reviewer, Duration.ofSeconds(10), 1000,
        registry, Ticker.systemTicker());
    return new HttpServerUnderTest(started(ArchiveServer.start(store, onLoopback(), registry,
        List.of(), null, access)).port());
  }

  private record HttpServerUnderTest(int port) {
    HttpTestClient as(String token) {
      return new HttpTestClient(port, token);
    }
  }

  private static String tokenOf(TestNamespace ns, String serviceAccount,
      List<PolicyRule> rules) {
    ns.actAs(serviceAccount, rules, List.of());
    return ns.serviceAccountConfig(serviceAccount).getOauthToken();
  }

  /**
   * Deletes the ServiceAccount and waits until the API server's own TokenReview refuses its
   * token: the server notices a deleted ServiceAccount through its informers and caches token
   * reviews for a few seconds itself.
   */
  private static void revoke(TestNamespace ns, String serviceAccount, String token) {
    ns.admin().serviceAccounts().inNamespace(ns.name()).withName(serviceAccount).delete();
    await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
        .until(() -> !Boolean.TRUE.equals(ns.admin().authentication().v1().tokenReviews()
            .create(new TokenReviewBuilder().withNewSpec().withToken(token).endSpec().build())
            .getStatus().getAuthenticated()));
  }

  private static List<String> namespaces(HttpTestClient.Response list) {
    List<String> out = new ArrayList<>();
    list.json().get("items").forEach(i -> out.add(i.at("/metadata/namespace").asString()));
    return out;
  }

  @Test
  void serviceAccountWithReadInOneNamespace_seesOnlyItAndCannotDelete(TestNamespace ns)
      throws IOException {
    String[] uids = seed(ns);
    HttpServerUnderTest server = start(ns);
    HttpTestClient viewer = server.as(tokenOf(ns, "viewer", READ));

    HttpTestClient.Response all = viewer.get(LIST + "?listOptions.limit=1000");
    assertThat(all.status()).as("%s", all).isEqualTo(200);
    assertThat(namespaces(all)).isNotEmpty().containsOnly(ns.name());
    assertThat(viewer.get(LIST + "?namespace=other-" + ns.name()).status()).isEqualTo(403);
    assertThat(viewer.get(LIST + "/" + uids[1]).status()).isEqualTo(403);
    assertThat(viewer.get(LIST + "/" + uids[0]).status()).isEqualTo(200);
    assertThat(viewer.get("/api/v1/archived-workflows-label-values"
        + "?listOptions.labelSelector=secret").json().get("items")).isEmpty();

    JsonNode me = viewer.get(InfoApi.USER_INFO).json();
    assertThat(me.get("name").asString())
        .isEqualTo("system:serviceaccount:" + ns.name() + ":viewer");
    assertThat(me.get("allNamespaces").asBoolean()).isFalse();
    assertThat(me.get("namespaces").toString()).isEqualTo("[\"" + ns.name() + "\"]");

    HttpTestClient.Response delete = viewer.delete(LIST + "/" + uids[0]);
    assertThat(delete.status()).as("%s", delete).isEqualTo(403);
    assertThat(delete.json().get("message").asString()).contains("may not delete");
    assertThat(store.exists(uids[0])).isTrue();
  }

  @Test
  void serviceAccountWithDeleteInItsNamespace_deletesThereOnly(TestNamespace ns)
      throws IOException {
    String[] uids = seed(ns);
    HttpServerUnderTest server = start(ns);
    HttpTestClient deleter = server.as(tokenOf(ns, "deleter", READ_DELETE));

    assertThat(deleter.delete(LIST + "/" + uids[1]).status()).isEqualTo(403);
    assertThat(store.exists(uids[1])).isTrue();
    HttpTestClient.Response deleted = deleter.delete(LIST + "/" + uids[0]);
    assertThat(deleted.status()).as("%s", deleted).isEqualTo(200);
    assertThat(store.exists(uids[0])).isFalse();
  }

  @Test
  void clusterWideLister_seesEveryNamespace_andRepeatsComeFromTheCache(TestNamespace ns)
      throws IOException {
    seed(ns);
    HttpServerUnderTest server = start(ns);
    ns.actAs("auditor", List.of(), READ);
    HttpTestClient auditor = server.as(ns.serviceAccountConfig("auditor").getOauthToken());

    assertThat(namespaces(auditor.get(LIST + "?listOptions.limit=1000")))
        .contains(ns.name(), "other-" + ns.name());
    assertThat(auditor.get(LIST).status()).isEqualTo(200);

    String metrics = new HttpTestClient(server.port()).get("/metrics").body();
    assertThat(metrics).containsPattern(
        "cache_gets_total\\{cache=\"archivist_auth_tokens\",[^}]*result=\"hit\"[^}]*} [1-9]");
    assertThat(metrics).containsPattern(
        "cache_gets_total\\{cache=\"archivist_auth_decisions\",[^}]*result=\"hit\"[^}]*} [1-9]");
  }

  @Test
  void badForeignOrRevokedToken_is401(TestNamespace ns) throws IOException {
    seed(ns);
    HttpServerUnderTest server = start(ns);
    String revoked = tokenOf(ns, "leaver", READ);
    assertThat(server.as(revoked).get(LIST).status()).as("before the revocation").isEqualTo(200);
    revoke(ns, "leaver", revoked);
    // A new server, so that the first server's cached review does not answer.
    HttpServerUnderTest fresh = start(ns.clientFor(ns.serviceAccountConfig("archivist")));

    // A JWT of the right shape signed by nobody this cluster trusts.
    String foreign = "eyJhbGciOiJSUzI1NiIsImtpZCI6IngifQ.eyJpc3MiOiJodHRwczovL2V4YW1wbGUuY29tIiwi"
        + "c3ViIjoic3lzdGVtOnNlcnZpY2VhY2NvdW50OmRlZmF1bHQ6ZGVmYXVsdCJ9.c2lnbmF0dXJl";
    for (String token : List.of("not-a-token", foreign, revoked)) {
      HttpTestClient.Response r = fresh.as(token).get(LIST);
      assertThat(r.status()).as("%s -> %s", token.substring(0, 8), r).isEqualTo(401);
      assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
      assertThat(r.body()).doesNotContain(token);
    }
    assertThat(new HttpTestClient(fresh.port()).get(LIST).status()).isEqualTo(401);
  }

  /**
   * A revoked token keeps working from the cache for at most the cache's time to live, then is
   * refused: time is a fake ticker, so nothing here waits.
   */
  @Test
  void revokedToken_isRefusedOnceItsCachedReviewExpires(TestNamespace ns) throws IOException {
    seed(ns);
    KubernetesClient reviewer = ns.actAs("archivist", List.of(), deployRbacRules(ns));
    java.util.concurrent.atomic.AtomicLong nanos = new java.util.concurrent.atomic.AtomicLong();
    AccessControl access = AccessControl.kubernetes(reviewer, Duration.ofSeconds(10), 1000,
        registry, nanos::get);
    ArchiveServer server = started(ArchiveServer.start(store, onLoopback(), registry, List.of(),
        null, access));
    String token = tokenOf(ns, "leaver", READ);
    HttpTestClient leaver = new HttpTestClient(server.port(), token);
    assertThat(leaver.get(LIST).status()).isEqualTo(200);

    revoke(ns, "leaver", token);
    nanos.addAndGet(Duration.ofSeconds(9).toNanos());
    assertThat(leaver.get(LIST).status()).as("within the cache's time to live").isEqualTo(200);
    nanos.addAndGet(Duration.ofSeconds(2).toNanos());
    assertThat(leaver.get(LIST).status()).as("after it").isEqualTo(401);
  }

  @Test
  void reviewsWithoutAnAnswer_failClosedWith503(TestNamespace ns) throws IOException {
    String[] uids = seed(ns);
    String viewer = tokenOf(ns, "viewer", READ_DELETE);

    // The Kubernetes API unreachable: nothing listens where the reviews go.
    int closedPort = FreePorts.loopback();
    Config base = ns.serviceAccountConfig("viewer");
    Config unreachable = new ConfigBuilder(base)
        .withMasterUrl("https://127.0.0.1:" + closedPort)
        .withRequestTimeout(2000).withRequestRetryBackoffLimit(0).build();
    HttpServerUnderTest down = start(ns.clientFor(unreachable));
    for (HttpTestClient.Response r : List.of(down.as(viewer).get(LIST),
        down.as(viewer).get(LIST + "/" + uids[0]), down.as(viewer).delete(LIST + "/" + uids[0]))) {
      assertThat(r.status()).as("%s", r).isEqualTo(503);
      assertThat(r.json().get("code").asInt()).isEqualTo(14);
      assertThat(r.body()).doesNotContain("mine").doesNotContain(viewer);
    }
    assertThat(store.exists(uids[0])).isTrue();

    // Archivist's own RBAC missing: the API server answers the reviews with 403.
    ns.actAs("unprivileged", List.of(workflows("get")), List.of());
    HttpServerUnderTest unprivileged =
        start(ns.clientFor(ns.serviceAccountConfig("unprivileged")));
    HttpTestClient.Response r = unprivileged.as(viewer).get(LIST);
    assertThat(r.status()).as("%s", r).isEqualTo(503);
    assertThat(r.json().get("message").asString()).contains("TokenReview", "403");
    assertThat(new HttpTestClient(unprivileged.port()).get("/metrics").body())
        .containsPattern("archivist_auth_review_failures_total\\{review=\"TokenReview\"} [1-9]");
  }
}
