package dev.archivist.app.argo;

import dev.archivist.controller.kube.Workflows;
import dev.archivist.core.WorkflowLabels;
import dev.archivist.testing.Crds;
import dev.archivist.testing.Fixtures;
import dev.archivist.testing.TestCluster;
import dev.archivist.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the Argo interop tests need of the test API server, done with an admin client: Argo's
 * CRDs, namespaces for one test class (labelled as the test extension labels its own), Argo's
 * ConfigMap and database Secret, a read-only ServiceAccount's token, and live workflows.
 *
 * <p>Everything made here is removed by {@link #cleanUp}, found by the namespace prefix.
 */
final class KubeTestBed implements AutoCloseable {
  private final TestCluster cluster;
  private final KubernetesClient admin;
  private final List<String> namespaces = new ArrayList<>();
  private final List<HasMetadata> clusterScoped = new ArrayList<>();

  KubeTestBed(TestCluster cluster) {
    this.cluster = cluster;
    this.admin = cluster.newAdminClient();
  }

  Path kubeconfig() {
    return cluster.kubeconfig();
  }

  KubernetesClient client() {
    return admin;
  }

  /** Whether the shared fixtures folder is there (without skipping when it is not). */
  static boolean fixturesPresent() {
    return Fixtures.present("argo");
  }

  /**
   * Creates each of Argo's CRDs that the server lacks and waits until it is established. A CRD
   * already there (the test bed's own Workflow CRD) is left as it is.
   */
  void installCrds(List<Path> manifests) {
    Crds.install(admin, manifests);
  }

  void createNamespaces(List<String> names) {
    for (String name : names) {
      admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
          .addToLabels(TestNamespace.TEST_LABEL, name).endMetadata().build()).create();
      namespaces.add(name);
    }
  }

  /**
   * A token (one hour) of a ServiceAccount in {@code namespace} that may only get and list
   * workflows, everywhere: what Argo Server's archive API checks a caller for.
   */
  String readerToken(String namespace, String serviceAccount) {
    admin.serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder()
        .withNewMetadata().withName(serviceAccount).endMetadata().build()).create();
    String role = namespace + "-" + serviceAccount;
    clusterScoped.add(admin.resource(new ClusterRoleBuilder().withNewMetadata().withName(role)
        .addToLabels(TestNamespace.TEST_LABEL, namespace).endMetadata()
        .withRules(new PolicyRuleBuilder().withApiGroups(WorkflowLabels.GROUP)
            .withResources(WorkflowLabels.PLURAL).withVerbs("get", "list", "watch").build())
        .build()).create());
    clusterScoped.add(admin.resource(new ClusterRoleBindingBuilder().withNewMetadata()
        .withName(role).addToLabels(TestNamespace.TEST_LABEL, namespace).endMetadata()
        .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", role)
        .addNewSubject().withKind("ServiceAccount").withName(serviceAccount)
        .withNamespace(namespace).endSubject().build()).create());
    return admin.serviceAccounts().inNamespace(namespace).withName(serviceAccount)
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L)
            .endSpec().build())
        .getStatus().getToken();
  }

  void createConfigMap(String namespace, String name, Map<String, String> data) {
    admin.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata()
        .withName(name).endMetadata().withData(data).build()).create();
  }

  void createSecret(String namespace, String name, Map<String, String> data) {
    admin.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata()
        .withName(name).endMetadata().withStringData(data).build()).create();
  }

  /** Creates a workflow and returns it as the server stored it (uid, resourceVersion). */
  GenericKubernetesResource createWorkflow(ObjectNode workflow) {
    GenericKubernetesResource resource = InteropWorkflows.JSON.treeToValue(workflow,
        GenericKubernetesResource.class);
    return Workflows.operation(admin)
        .inNamespace(resource.getMetadata().getNamespace()).resource(resource).create();
  }

  /** Marks a live workflow {@code Archived}, as Archivist does once its row is committed. */
  void labelArchived(String namespace, String name) {
    Workflows.operation(admin).inNamespace(namespace).withName(name)
        .edit(wf -> {
          wf.getMetadata().getLabels().put(WorkflowLabels.ARCHIVING_STATUS,
              WorkflowLabels.STATUS_ARCHIVED);
          return wf;
        });
  }

  /**
   * Deletes the workflows, the namespaces and the cluster-scoped objects made here. A server
   * this run started has no namespace controller, so the namespaces are finalized by hand there.
   */
  @Override
  public void close() {
    try {
      for (String ns : namespaces) {
        Workflows.operation(admin).inNamespace(ns).delete();
        admin.namespaces().withName(ns).delete();
        if (cluster.isManaged()) {
          admin.raw("/api/v1/namespaces/" + ns + "/finalize", "PUT", Map.of(
              "apiVersion", "v1", "kind", "Namespace", "metadata", Map.of("name", ns),
              "spec", Map.of("finalizers", List.of())));
        }
      }
      for (HasMetadata o : clusterScoped) {
        admin.resource(o).delete();
      }
    } finally {
      admin.close();
    }
  }
}
