package dev.archivist.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(KubeExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubeExtensionTest {
  private static final ResourceDefinitionContext WORKFLOWS = new ResourceDefinitionContext.Builder()
      .withGroup("argoproj.io").withVersion("v1alpha1").withPlural("workflows")
      .withKind("Workflow").withNamespaced(true).build();

  private static String previousNamespace; // the namespace of the @Order(1) test

  private static GenericKubernetesResource workflow(String name) {
    GenericKubernetesResource wf = new GenericKubernetesResource();
    wf.setApiVersion("argoproj.io/v1alpha1");
    wf.setKind("Workflow");
    wf.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name)
        .withFinalizers("archivist.dev/test-finalizer").build());
    wf.setAdditionalProperty("spec", Map.of("entrypoint", "main"));
    wf.setAdditionalProperty("status", Map.of("phase", "Succeeded"));
    return wf;
  }

  /** Asserts that {@code call} fails with an API server answer of HTTP status {@code code}. */
  private static void assertFailsWithCode(int code, ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOfSatisfying(KubernetesClientException.class,
        e -> assertThat(e.getCode()).isEqualTo(code));
  }

  @Test
  @Order(1)
  void namespace_isFreshAndTakesWorkflows(TestNamespace ns) {
    previousNamespace = ns.name();
    var workflows = ns.admin().genericKubernetesResources(WORKFLOWS).inNamespace(ns.name());
    assertThat(workflows.list().getItems()).isEmpty();

    workflows.resource(workflow("wf-1")).create();

    GenericKubernetesResource back = workflows.withName("wf-1").get();
    assertThat(back.getMetadata().getUid()).isNotBlank();
    // no status subresource: the status is stored with the object
    assertThat(back.getAdditionalProperties().get("status"))
        .isEqualTo(Map.of("phase", "Succeeded"));
    assertThat(ns.admin().namespaces().withName(ns.name()).get().getMetadata().getLabels())
        .containsEntry(TestNamespace.TEST_LABEL, ns.name());
  }

  @Test
  @Order(2)
  void namespace_ofThePreviousTestIsGoneWithItsWorkflows(TestNamespace ns) {
    assertThat(previousNamespace).isNotNull().isNotEqualTo(ns.name());
    assertThat(ns.admin().namespaces().withName(previousNamespace).get()).isNull();
    assertThat(ns.admin().genericKubernetesResources(WORKFLOWS).inNamespace(previousNamespace)
        .list().getItems()).isEmpty();
  }

  @Test
  void workflowCrd_isNamespacedV1alpha1WithoutStatusSubresource(TestNamespace ns) {
    CustomResourceDefinition crd = ns.admin().apiextensions().v1().customResourceDefinitions()
        .withName("workflows.argoproj.io").get();
    assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
    assertThat(crd.getSpec().getVersions()).singleElement().satisfies(v -> {
      assertThat(v.getName()).isEqualTo("v1alpha1");
      assertThat(v.getSubresources() == null || v.getSubresources().getStatus() == null).isTrue();
    });
  }

  @Test
  void actAs_grantsExactlyTheRulesGiven(TestNamespace ns) {
    PolicyRule readConfigMaps = new PolicyRuleBuilder().withApiGroups("")
        .withResources("configmaps").withVerbs("get", "list").build();
    PolicyRule listNamespaces = new PolicyRuleBuilder().withApiGroups("")
        .withResources("namespaces").withVerbs("list").build();
    ns.admin().configMaps().inNamespace(ns.name()).resource(new ConfigMapBuilder()
        .withNewMetadata().withName("c").endMetadata().addToData("k", "v").build()).create();

    KubernetesClient sa = ns.actAs("reader", List.of(readConfigMaps), List.of(listNamespaces));

    assertThat(sa.configMaps().inNamespace(ns.name()).withName("c").get().getData())
        .containsEntry("k", "v");
    assertThat(sa.namespaces().list().getItems()).extracting(n -> n.getMetadata().getName())
        .contains(ns.name());
    assertThatThrownBy(() -> sa.configMaps().inNamespace(ns.name()).resource(
            new ConfigMapBuilder().withNewMetadata().withName("d").endMetadata().build()).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(403);
          assertThat(e.getMessage()).contains("system:serviceaccount:" + ns.name() + ":reader");
        });
    assertFailsWithCode(403,
        () -> sa.genericKubernetesResources(WORKFLOWS).inNamespace(ns.name()).list());
  }

  @Test
  void compactEtcd_makesOlderResourceVersionsGone(TestNamespace ns) {
    TestCluster cluster = ns.cluster();
    var maps = ns.admin().configMaps().inNamespace(ns.name());
    ConfigMap first = maps.resource(new ConfigMapBuilder().withNewMetadata().withName("c")
        .endMetadata().addToData("n", "1").build()).create();
    String old = first.getMetadata().getResourceVersion();
    maps.withName("c").edit(c -> new ConfigMapBuilder(c).addToData("n", "2").build());
    // before compaction the old revision can still be read exactly
    assertThat(maps.list(new ListOptionsBuilder().withResourceVersion(old)
        .withResourceVersionMatch("Exact").build()).getItems()).hasSize(1);

    long revision = cluster.compactEtcd();

    assertThat(revision).isGreaterThan(Long.parseLong(old));
    assertFailsWithCode(410, () -> maps.list(new ListOptionsBuilder().withResourceVersion(old)
        .withResourceVersionMatch("Exact").build()));
  }

  @Test
  void killApiServer_failsRequestsUntilStartedAgainWithTheDataKept(TestNamespace ns) {
    TestCluster cluster = ns.cluster();
    var maps = ns.admin().configMaps().inNamespace(ns.name());
    maps.resource(new ConfigMapBuilder().withNewMetadata().withName("kept").endMetadata()
        .build()).create();

    cluster.killApiServer();
    io.fabric8.kubernetes.client.Config noRetries = cluster.adminConfig();
    noRetries.setRequestRetryBackoffLimit(0);
    KubernetesClient impatient = ns.clientFor(noRetries);
    assertThatThrownBy(() -> impatient.configMaps().inNamespace(ns.name()).withName("kept").get())
        .isInstanceOf(KubernetesClientException.class);

    cluster.startApiServer();
    assertThat(maps.withName("kept").get()).isNotNull();
  }

  @Test
  void newName_isADnsLabelOfAtMost63Characters() {
    String name = TestNamespace.newName("SomeVeryLongTestClassNameThatGoesOnAndOn",
        "method_withUnderscores_andAVeryLongDescriptionOfTheScenario");
    assertThat(name).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")
        .startsWith("t-someverylongtestclassname");
    assertThat(TestNamespace.newName("A", "b")).matches("t-a-b-[a-z0-9]+");
  }
}
