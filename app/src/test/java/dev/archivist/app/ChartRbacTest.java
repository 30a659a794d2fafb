package dev.archivist.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The Helm chart grants exactly the rules of {@code deploy/rbac.yaml}: read from the chart's
 * renderings committed under {@code deploy/manifests/} (cluster-wide, with leader election) and
 * {@code hack/helm/golden/} (Roles in the namespaces watched, one replica), which
 * {@code hack/render-manifests.sh --check} keeps equal to what the chart renders.
 */
class ChartRbacTest {
  private static final Path ROOT = Path.of(System.getProperty(Fixtures.REPO_ROOT_PROPERTY));
  private static final YAMLMapper YAML = YAMLMapper.builder().build();

  @Test
  void defaultRendering_grantsDeployRbacYamlsRulesClusterWide() throws Exception {
    List<JsonNode> rbac = documents(ROOT.resolve("deploy/rbac.yaml"));
    List<JsonNode> chart = documents(ROOT.resolve("deploy/manifests/archivist.yaml"));

    assertThat(rulesOf(chart, "ClusterRole")).as("the chart's ClusterRole rules")
        .containsExactlyElementsOf(rulesOf(rbac, "ClusterRole"));
    assertThat(rulesOf(chart, "Role")).as("the chart's Role (leases) rules")
        .containsExactlyElementsOf(rulesOf(rbac, "Role"));
    assertThat(kinds(chart)).as("RBAC objects of the chart")
        .containsExactlyInAnyOrderElementsOf(kinds(rbac));
    assertBoundToTheDeploymentsServiceAccount(chart);
  }

  @Test
  void namespacedRendering_grantsWorkflowsInEachWatchedNamespaceOnlyAndReviewsClusterWide()
      throws Exception {
    List<JsonNode> rbac = documents(ROOT.resolve("deploy/rbac.yaml"));
    List<JsonNode> chart = documents(ROOT.resolve("hack/helm/golden/namespaced.yaml"));
    List<JsonNode> workflowRules = rulesOf(rbac, "ClusterRole").stream()
        .filter(r -> r.path("apiGroups").toString().contains("argoproj.io")).toList();
    List<JsonNode> reviewRules = rulesOf(rbac, "ClusterRole").stream()
        .filter(r -> !r.path("apiGroups").toString().contains("argoproj.io")).toList();
    assertThat(workflowRules).as("deploy/rbac.yaml's workflow rules").isNotEmpty();
    assertThat(reviewRules).as("deploy/rbac.yaml's token and access review rules").isNotEmpty();

    assertThat(rulesOf(chart, "ClusterRole")).as("the only cluster-wide grant: the reviews of"
        + " --auth-mode kubernetes, which no Role can grant")
        .containsExactlyElementsOf(reviewRules);
    List<JsonNode> roles = of(chart, "Role");
    assertThat(roles).extracting(r -> r.path("metadata").path("namespace").asString())
        .as("one Role per watched namespace, none for leases with one replica")
        .containsExactlyInAnyOrder("argo", "team-a");
    for (JsonNode role : roles) {
      assertThat(role.path("rules").values()).as("rules of Role %s",
              role.path("metadata").path("namespace").asString())
          .containsExactlyElementsOf(workflowRules);
    }
    assertBoundToTheDeploymentsServiceAccount(chart);
  }

  /** Every binding's subject is the ServiceAccount the Deployment's pods run as. */
  private static void assertBoundToTheDeploymentsServiceAccount(List<JsonNode> chart) {
    JsonNode deployment = of(chart, "Deployment").get(0);
    String sa = deployment.path("spec").path("template").path("spec")
        .path("serviceAccountName").asString();
    String ns = deployment.path("metadata").path("namespace").asString();
    assertThat(of(chart, "ServiceAccount")).extracting(o -> o.path("metadata").path("name")
        .asString()).containsExactly(sa);
    List<JsonNode> bindings = new ArrayList<>(of(chart, "RoleBinding"));
    bindings.addAll(of(chart, "ClusterRoleBinding"));
    assertThat(bindings).isNotEmpty().allSatisfy(b -> {
      assertThat(b.path("subjects").values()).hasSize(1);
      JsonNode subject = b.path("subjects").get(0);
      assertThat(subject.path("kind").asString()).isEqualTo("ServiceAccount");
      assertThat(subject.path("name").asString()).isEqualTo(sa);
      assertThat(subject.path("namespace").asString()).isEqualTo(ns);
    });
  }

  /**
   * The release-finalizers hook of {@code helm uninstall} brings its own ServiceAccount and a
   * grant of its own: get, list and patch on workflows, in each watched namespace only, bound to
   * its ServiceAccount; the Job runs as that account.
   */
  @Test
  void namespacedRendering_releaseFinalizersHookHasItsOwnNarrowGrant() throws Exception {
    List<JsonNode> hooks = hookDocuments(ROOT.resolve("hack/helm/golden/namespaced.yaml"));
    JsonNode job = of(hooks, "Job").get(0);
    String sa = job.path("spec").path("template").path("spec").path("serviceAccountName")
        .asString();
    assertThat(of(hooks, "ServiceAccount")).extracting(o -> o.path("metadata").path("name")
        .asString()).containsExactly(sa);
    assertThat(of(hooks, "ClusterRole")).as("nothing cluster-wide").isEmpty();
    List<JsonNode> roles = of(hooks, "Role");
    assertThat(roles).extracting(r -> r.path("metadata").path("namespace").asString())
        .containsExactlyInAnyOrder("argo", "team-a");
    for (JsonNode role : roles) {
      assertThat(role.path("rules").values()).singleElement().satisfies(rule -> {
        assertThat(rule.path("resources").toString()).isEqualTo("[\"workflows\"]");
        assertThat(rule.path("verbs").toString()).isEqualTo("[\"get\",\"list\",\"patch\"]");
      });
    }
    assertThat(of(hooks, "RoleBinding")).hasSize(2).allSatisfy(b ->
        assertThat(b.path("subjects").get(0).path("name").asString()).isEqualTo(sa));
    assertThat(job.path("metadata").path("annotations").path("helm.sh/hook").asString())
        .isEqualTo("post-delete");
  }

  /** The objects of {@code file} that are Helm hooks. */
  private static List<JsonNode> hookDocuments(Path file) throws Exception {
    return all(file).stream().filter(ChartRbacTest::isHook).toList();
  }

  private static boolean isHook(JsonNode doc) {
    return doc.path("metadata").path("annotations").has("helm.sh/hook");
  }

  /** The objects of {@code file}, but Helm hooks (the release-finalizers Job and its grant). */
  private static List<JsonNode> documents(Path file) throws Exception {
    List<JsonNode> docs = all(file).stream().filter(d -> !isHook(d)).toList();
    assertThat(docs).as("objects in %s", file).isNotEmpty();
    return docs;
  }

  private static List<JsonNode> all(Path file) throws Exception {
    List<JsonNode> docs = new ArrayList<>();
    try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(Files.readString(file))) {
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && doc.isObject()) {
          docs.add(doc);
        }
      }
    }
    return docs;
  }

  private static List<JsonNode> of(List<JsonNode> docs, String kind) {
    return docs.stream().filter(d -> d.path("kind").asString().equals(kind)).toList();
  }

  private static List<String> kinds(List<JsonNode> docs) {
    return docs.stream().map(d -> d.path("kind").asString())
        .filter(k -> k.equals("ServiceAccount") || k.contains("Role")).toList();
  }

  /** The rules of the one object of this kind. */
  private static List<JsonNode> rulesOf(List<JsonNode> docs, String kind) {
    List<JsonNode> objects = of(docs, kind);
    assertThat(objects).as("objects of kind %s", kind).hasSize(1);
    return List.copyOf(objects.get(0).path("rules").values());
  }
}
