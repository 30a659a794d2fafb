package dev.archivist.testing;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributes;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import java.time.Duration;

/**
 * A fresh namespace on the test API server, for one test method, with an admin client. It is
 * removed after the test, with its workflows (finalizers stripped first) and with every
 * cluster-scoped object made through {@link #createClusterScoped} or {@link #actAs}.
 *
 * <p>{@link #actAs} gives a client that is a ServiceAccount of this namespace, with exactly the
 * RBAC rules given, authenticated by a token from the TokenRequest API: the server's RBAC decides
 * what it may do, as in a cluster.
 *
 * <p>Not thread-safe: one test thread uses it.
 */
public final class TestNamespace implements AutoCloseable {
  /** Label on every namespace and cluster-scoped object the extension creates. */
  public static final String TEST_LABEL = "archivist.dev/test-namespace";

  private static final ResourceDefinitionContext WORKFLOWS = new ResourceDefinitionContext.Builder()
      .withGroup("argoproj.io").withVersion("v1alpha1").withPlural("workflows")
      .withKind("Workflow").withNamespaced(true).build();

  private final TestCluster cluster;
  private final String name;
  private final KubernetesClient admin;
  private final List<HasMetadata> clusterScoped = new ArrayList<>();
  private final List<KubernetesClient> clients = new ArrayList<>();
  private final List<Path> files = new ArrayList<>();
  private final List<String> namespaces = new ArrayList<>();

  TestNamespace(TestCluster cluster, String name) {
    this.cluster = cluster;
    this.name = name;
    this.admin = cluster.newAdminClient();
    createNamespace(name);
  }

  private void createNamespace(String namespace) {
    admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace)
        .addToLabels(TEST_LABEL, name).endMetadata().build()).create();
    namespaces.add(namespace);
  }

  /**
   * Creates another namespace for this test, {@code namespace}, which must be this one's name
   * followed by {@code -} and a suffix; it is removed with this one. Does nothing if this test
   * already made it.
   */
  public void addSibling(String namespace) {
    if (namespaces.contains(namespace)) {
      return;
    }
    if (!namespace.startsWith(name + "-") || namespace.length() > 63) {
      throw new IllegalArgumentException("a sibling of test namespace " + name + " is named "
          + name + "-<suffix>, at most 63 characters; got " + namespace);
    }
    createNamespace(namespace);
  }

  /**
   * A namespace name for a test: {@code t-<class>-<method>-<random>}, at most 50 characters, so
   * that {@link #addSibling} can append a suffix.
   */
  static String newName(String testClass, String testMethod) {
    String suffix = "-" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36 * 36),
        36);
    String base = "t-" + dnsLabel(testClass) + "-" + dnsLabel(testMethod);
    int max = 50 - suffix.length();
    base = base.length() > max ? base.substring(0, max) : base;
    return base.replaceAll("-+$", "") + suffix;
  }

  private static String dnsLabel(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
  }

  public String name() {
    return name;
  }

  /** The admin client (system:masters); closed after the test. */
  public KubernetesClient admin() {
    return admin;
  }

  public TestCluster cluster() {
    return cluster;
  }

  /**
   * Creates a cluster-scoped object (a ClusterRole, a ClusterRoleBinding) that is deleted after
   * the test; adds the {@link #TEST_LABEL} label.
   */
  public <T extends HasMetadata> T createClusterScoped(T object) {
    object.getMetadata().setLabels(new java.util.HashMap<>(
        object.getMetadata().getLabels() == null ? Map.of() : object.getMetadata().getLabels()));
    object.getMetadata().getLabels().put(TEST_LABEL, name);
    T created = admin.resource(object).create();
    clusterScoped.add(created);
    return created;
  }

  /**
   * A client that acts as ServiceAccount {@code serviceAccount} of this namespace (created if
   * missing) with the given rules: {@code namespaceRules} through a Role and RoleBinding here,
   * {@code clusterRules} through a ClusterRole and ClusterRoleBinding. Either may be empty.
   * Returns once the server's authorizer grants the first rule of each, so the first request
   * does not race the RBAC caches. The client is closed after the test.
   */
  public KubernetesClient actAs(String serviceAccount, List<PolicyRule> namespaceRules,
      List<PolicyRule> clusterRules) {
    ensureServiceAccount(serviceAccount);
    String roleName = "test-" + serviceAccount;
    Subject subject = new SubjectBuilder().withKind("ServiceAccount").withName(serviceAccount)
        .withNamespace(name).build();
    if (!namespaceRules.isEmpty()) {
      admin.rbac().roles().inNamespace(name).resource(new RoleBuilder().withNewMetadata()
          .withName(roleName).endMetadata().withRules(namespaceRules).build()).create();
      admin.rbac().roleBindings().inNamespace(name).resource(new RoleBindingBuilder()
          .withNewMetadata().withName(roleName).endMetadata()
          .withNewRoleRef("rbac.authorization.k8s.io", "Role", roleName)
          .withSubjects(subject).build()).create();
    }
    if (!clusterRules.isEmpty()) {
      String clusterRoleName = name + "-" + serviceAccount;
      createClusterScoped(new ClusterRoleBuilder().withNewMetadata().withName(clusterRoleName)
          .endMetadata().withRules(clusterRules).build());
      createClusterScoped(new ClusterRoleBindingBuilder().withNewMetadata()
          .withName(clusterRoleName).endMetadata()
          .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", clusterRoleName)
          .withSubjects(subject).build());
    }
    if (!namespaceRules.isEmpty()) {
      awaitGranted(serviceAccount, namespaceRules.get(0), name);
    }
    if (!clusterRules.isEmpty()) {
      awaitGranted(serviceAccount, clusterRules.get(0), null);
    }
    return clientFor(serviceAccountConfig(serviceAccount));
  }

  /**
   * A configuration that authenticates as ServiceAccount {@code serviceAccount} of this
   * namespace with a token (one hour) from the TokenRequest API, and no client certificate.
   * The ServiceAccount must exist.
   */
  public Config serviceAccountConfig(String serviceAccount) {
    TokenRequest issued = admin.serviceAccounts().inNamespace(name).withName(serviceAccount)
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L)
            .endSpec().build());
    Config adminConfig = cluster.adminConfig();
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(adminConfig.getMasterUrl())
        .withCaCertData(adminConfig.getCaCertData())
        .withCaCertFile(adminConfig.getCaCertFile())
        .withNamespace(name)
        .withOauthToken(issued.getStatus().getToken())
        .build();
  }

  /**
   * A kubeconfig file for ServiceAccount {@code serviceAccount} of this namespace (which must
   * exist; see {@link #actAs}), for a controller started as another process with
   * {@code --kubeconfig}: the server, its CA, and a token from the TokenRequest API. Removed
   * after the test.
   */
  public Path serviceAccountKubeconfig(String serviceAccount) {
    Config config = serviceAccountConfig(serviceAccount);
    String ca = config.getCaCertData();
    try {
      if (ca == null && config.getCaCertFile() != null) {
        ca = Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(
            config.getCaCertFile())));
      }
      Path file = Files.createTempFile("kubeconfig-" + name + "-" + serviceAccount, ".yaml");
      files.add(file);
      Files.writeString(file, String.join("\n",
          "apiVersion: v1",
          "kind: Config",
          "clusters:",
          "- name: test",
          "  cluster:",
          "    server: " + config.getMasterUrl(),
          ca == null ? "" : "    certificate-authority-data: " + ca,
          "users:",
          "- name: " + serviceAccount,
          "  user:",
          "    token: " + config.getOauthToken(),
          "contexts:",
          "- name: test",
          "  context: {cluster: test, user: " + serviceAccount + ", namespace: " + name + "}",
          "current-context: test",
          ""));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a kubeconfig for " + serviceAccount, e);
    }
  }

  /** A client for {@code config}, closed after the test. */
  public KubernetesClient clientFor(Config config) {
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    clients.add(client);
    return client;
  }

  private void ensureServiceAccount(String serviceAccount) {
    if (admin.serviceAccounts().inNamespace(name).withName(serviceAccount).get() == null) {
      admin.serviceAccounts().inNamespace(name).resource(new ServiceAccountBuilder()
          .withNewMetadata().withName(serviceAccount).endMetadata().build()).create();
    }
  }

  /** Polls a SubjectAccessReview until the server grants the rule's first request (10 s). */
  private void awaitGranted(String serviceAccount, PolicyRule rule, String namespace) {
    String group = first(rule.getApiGroups(), "");
    String resource = first(rule.getResources(), null);
    if (resource == null) {
      return; // a non-resource rule: nothing cheap to ask about
    }
    String verb = first(rule.getVerbs(), "get");
    ResourceAttributes attributes = new ResourceAttributesBuilder()
        .withGroup("*".equals(group) ? "" : group)
        .withResource(resource.replace("*", "anything").split("/")[0])
        .withVerb("*".equals(verb) ? "get" : verb)
        .withNamespace(namespace)
        .build();
    SubjectAccessReview review = new SubjectAccessReviewBuilder().withNewSpec()
        .withUser("system:serviceaccount:" + name + ":" + serviceAccount)
        .withGroups("system:serviceaccounts", "system:serviceaccounts:" + name,
            "system:authenticated")
        .withResourceAttributes(attributes).endSpec().build();
    AtomicReference<SubjectAccessReview> answer = new AtomicReference<>();
    try {
      Awaitility.await("RBAC for " + serviceAccount).atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(50)).until(() -> {
            answer.set(admin.authorization().v1().subjectAccessReview().create(review));
            return answer.get().getStatus() != null
                && Boolean.TRUE.equals(answer.get().getStatus().getAllowed());
          });
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException("RBAC never granted " + serviceAccount + " "
          + attributes + " within 10 s: "
          + (answer.get() == null ? null : answer.get().getStatus()), e);
    }
  }

  private static String first(List<String> values, String otherwise) {
    return values == null || values.isEmpty() ? otherwise : values.get(0);
  }

  /**
   * Removes the namespace's workflows (stripping finalizers, which nothing else here would
   * remove), the cluster-scoped objects, and the namespace. On a server this run started there
   * is no namespace controller, so the namespace's own finalizer is removed through the
   * {@code finalize} subresource; elsewhere the cluster's controller finishes the deletion.
   */
  @Override
  public void close() {
    RuntimeException failure = null;
    try {
      cluster.ensureRunning();
      for (KubernetesClient c : clients) {
        c.close();
      }
      for (Path f : files) {
        Files.deleteIfExists(f);
      }
      for (String namespace : namespaces) {
        deleteWorkflows(namespace);
      }
      for (HasMetadata o : clusterScoped) {
        admin.resource(o).delete();
      }
      for (String namespace : namespaces) {
        admin.namespaces().withName(namespace).delete();
        if (cluster.isManaged()) {
          admin.raw(admin.getMasterUrl() + "api/v1/namespaces/" + namespace + "/finalize",
              "PUT", Map.of("apiVersion", "v1", "kind", "Namespace",
                  "metadata", Map.of("name", namespace),
                  "spec", Map.of("finalizers", List.of())));
        }
      }
    } catch (IOException e) {
      failure = new UncheckedIOException(e);
    } catch (RuntimeException e) {
      failure = e;
    } finally {
      admin.close();
    }
    if (failure != null) {
      throw new IllegalStateException("cleaning up test namespace " + name + " failed", failure);
    }
  }

  private void deleteWorkflows(String namespace) {
    var workflows = admin.genericKubernetesResources(WORKFLOWS).inNamespace(namespace);
    for (GenericKubernetesResource wf : workflows.list().getItems()) {
      if (wf.getMetadata().getFinalizers() != null
          && !wf.getMetadata().getFinalizers().isEmpty()) {
        try {
          workflows.withName(wf.getMetadata().getName()).edit(w -> {
            w.getMetadata().setFinalizers(List.of());
            return w;
          });
        } catch (KubernetesClientException e) {
          if (e.getCode() != 404) {
            throw e;
          }
        }
      }
    }
    workflows.delete();
  }

  @Override
  public String toString() {
    return "TestNamespace[" + name + "]";
  }
}
