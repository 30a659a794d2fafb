package dev.archivist.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.store.ArchiveStore;
import dev.archivist.store.StoreConfig;
import dev.archivist.store.WorkflowDocuments;
import dev.archivist.testing.KubeExtension;
import dev.archivist.testing.PostgresExtension;
import dev.archivist.testing.TestDatabase;
import dev.archivist.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code archivist serve --auth-mode kubernetes --kubeconfig ...} for real: the flags build the
 * reviews' client from the kubeconfig of a ServiceAccount that may only create TokenReviews and
 * SubjectAccessReviews, and a ServiceAccount token of one namespace sees that namespace only.
 */
@ExtendWith({PostgresExtension.class, KubeExtension.class})
class ServeKubernetesAuthTest {

  @Test
  void serve_kubernetesMode_showsATokenItsNamespaceOnly(TestDatabase db, TestNamespace ns)
      throws Exception {
    Cli.Result migrated = Cli.run("migrate", "--db", db.jdbcUrl());
    assertThat(migrated.exitCode()).as(migrated.err()).isEqualTo(ExitCodes.OK);
    try (ArchiveStore store = ArchiveStore.open(StoreConfig.of(db.jdbcUrl(), null, null))) {
      store.archive(List.of(
          WorkflowDocuments.fromWorkflow(ArchiveCommandsTest.workflow("mine", ns.name(), "u-1",
              "Succeeded", "2026-05-01T01:00:00Z", "2026-05-01T01:05:00Z"), Cli.NOW),
          WorkflowDocuments.fromWorkflow(ArchiveCommandsTest.workflow("theirs", "elsewhere",
              "u-2", "Failed", "2026-05-01T02:00:00Z", "2026-05-01T02:05:00Z"), Cli.NOW)));
    }
    ns.actAs("archivist", List.of(), List.of(
        rule("authentication.k8s.io", "tokenreviews", "create"),
        rule("authorization.k8s.io", "subjectaccessreviews", "create")));
    String reviewerKubeconfig = ns.serviceAccountKubeconfig("archivist").toString();
    ns.actAs("viewer", List.of(rule("argoproj.io", "workflows", "list", "get")), List.of());
    String viewerToken = ns.serviceAccountConfig("viewer").getOauthToken();

    Cli.Started serve = Cli.start(Map.of(), "serve",
        "--db", db.jdbcUrl(), "--auth-mode", "kubernetes", "--kubeconfig", reviewerKubeconfig,
        "--http-port", "0", "--bind-address", "127.0.0.1");
    try {
      int port = serve.awaitPort("serving the archive on port", Duration.ofMinutes(1));
      String base = "http://127.0.0.1:" + port + "/api/v1/archived-workflows";

      HttpResponse<String> mine = get(base, viewerToken);
      assertThat(mine.statusCode()).as(mine.body()).isEqualTo(200);
      assertThat(mine.body()).contains("\"mine\"").doesNotContain("theirs");
      assertThat(get(base, null).statusCode()).isEqualTo(401);
      assertThat(get(base + "?namespace=elsewhere", viewerToken).statusCode()).isEqualTo(403);
    } finally {
      serve.stop();
    }
    assertThat(serve.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(serve.err()).doesNotContain(viewerToken);
  }

  private static PolicyRule rule(String group, String resource, String... verbs) {
    return new PolicyRuleBuilder().withApiGroups(group).withResources(resource)
        .withVerbs(verbs).build();
  }

  private static HttpResponse<String> get(String url, String token) throws Exception {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(30));
    if (token != null) {
      req.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient().send(req.build(), HttpResponse.BodyHandlers.ofString());
  }
}
