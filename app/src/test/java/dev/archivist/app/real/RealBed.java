package dev.archivist.app.real;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.controller.kube.Workflows;
import dev.archivist.core.WorkflowLabels;
import dev.archivist.testing.ApiRequest;
import dev.archivist.testing.TestDatabase;
import dev.archivist.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * What every real-API-server test of {@code archivist run} shares: its namespace, its database
 * schema and a {@code clustername} of its own, Argo-shaped workflows, and the two invariants each
 * test ends on: no workflow lost, no row duplicated.
 */
final class RealBed implements AutoCloseable {
  final TestNamespace ns;
  final TestDatabase db;
  final String clusterName;
  final Path logDir;
  private final List<ArchivistProcess> processes = new ArrayList<>();

  RealBed(TestNamespace ns, TestDatabase db, String testName) {
    this.ns = ns;
    this.db = db;
    this.clusterName = "real-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30),
        36);
    this.logDir = Path.of(System.getProperty(dev.archivist.testing.Fixtures.REPO_ROOT_PROPERTY,
        "."), "app", "target", "real-api", testName);
  }

  NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
      Resource<GenericKubernetesResource>> workflows() {
    return Workflows.operation(ns.admin()).inNamespace(ns.name());
  }

  /** {@code archivist run} against this test's database and clustername, plus {@code args}. */
  ArchivistProcess start(String name, String heap, Path kubeconfig, String... args) {
    List<String> all = new ArrayList<>(List.of("--kubeconfig", kubeconfig.toString(),
        "--db", db.jdbcUrl(), "--cluster-name", clusterName));
    all.addAll(List.of(args));
    ArchivistProcess p = ArchivistProcess.start(name, heap, all, Map.of(), logDir);
    processes.add(p);
    await(Duration.ofMinutes(2)).failFast(p::assertAlive)
        .until(() -> p.port() > 0);
    return p;
  }

  /** The ServiceAccount {@link #controllerKubeconfig()} authenticates as. */
  static final String CONTROLLER_SA = "archivist-under-test";

  /**
   * A kubeconfig for ServiceAccount {@value #CONTROLLER_SA} of this namespace, allowed
   * everything on workflows (every namespace) and leases (here), so that the audit log tells the
   * controller's requests from the test's own ({@link #controllerUser()}).
   */
  Path controllerKubeconfig() {
    ns.actAs(CONTROLLER_SA,
        List.of(new PolicyRuleBuilder().withApiGroups("coordination.k8s.io")
            .withResources("leases").withVerbs("*").build()),
        List.of(new PolicyRuleBuilder().withApiGroups("argoproj.io")
            .withResources("workflows").withVerbs("*").build()));
    return ns.serviceAccountKubeconfig(CONTROLLER_SA);
  }

  /** The user name of {@link #controllerKubeconfig()} in the audit log. */
  String controllerUser() {
    return "system:serviceaccount:" + ns.name() + ":" + CONTROLLER_SA;
  }

  /** The requests on workflows the controller made, from the audit log. */
  List<ApiRequest> controllerRequests() {
    return ns.cluster().requests().stream()
        .filter(r -> r.user().equals(controllerUser()) && r.resource().equals("workflows"))
        .toList();
  }

  /** {@code kubeconfig} with its server moved to {@code 127.0.0.1:<port>} (a proxy). */
  Path kubeconfigVia(Path kubeconfig, int port) throws IOException {
    String text = Files.readString(kubeconfig);
    Path file = Files.createDirectories(logDir).resolve("kubeconfig-via-" + port);
    Files.writeString(file, text.replaceAll("server: https://127\\.0\\.0\\.1:\\d+",
        "server: https://127.0.0.1:" + port));
    return file;
  }

  /** An Argo-shaped workflow that Succeeded, with about {@code padBytes} of status. */
  static GenericKubernetesResource completed(String name, int padBytes) {
    GenericKubernetesResource wf = base(name, "Succeeded");
    wf.getMetadata().getLabels().put(WorkflowLabels.COMPLETED, "true");
    Map<String, Object> status = new HashMap<>();
    status.put("phase", "Succeeded");
    status.put("startedAt", "2026-11-27T10:00:00Z");
    status.put("finishedAt", "2026-11-27T10:05:00Z");
    if (padBytes > 0) {
      status.put("message", "x".repeat(padBytes));
    }
    wf.setAdditionalProperty("status", status);
    return wf;
  }

  static GenericKubernetesResource running(String name) {
    GenericKubernetesResource wf = base(name, "Running");
    wf.getMetadata().getLabels().put(WorkflowLabels.COMPLETED, "false");
    wf.setAdditionalProperty("status", Map.of("phase", "Running",
        "startedAt", "2026-11-27T10:00:00Z"));
    return wf;
  }

  private static GenericKubernetesResource base(String name, String phase) {
    GenericKubernetesResource wf = new GenericKubernetesResource();
    wf.setApiVersion("argoproj.io/v1alpha1");
    wf.setKind("Workflow");
    wf.setMetadata(new ObjectMetaBuilder().withName(name)
        .withLabels(new HashMap<>(Map.of(WorkflowLabels.PHASE, phase))).build());
    wf.setAdditionalProperty("spec", Map.of("entrypoint", "main", "templates",
        List.of(Map.of("name", "main", "container", Map.of("image", "busybox")))));
    return wf;
  }

  /**
   * Creates {@code n} completed workflows {@code <prefix>-<i>} with 8 threads; returns their
   * uids by name.
   */
  Map<String, String> createCompleted(String prefix, int n, int padBytes) throws Exception {
    Map<String, String> uids = Collections.synchronizedMap(new HashMap<>());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String name = prefix + "-" + i;
        done.add(pool.submit(() -> uids.put(name,
            workflows().resource(completed(name, padBytes)).create().getMetadata().getUid())));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    return uids;
  }

  /** The archive's uids of this test's clustername, one entry per row. */
  List<String> archivedUids() throws SQLException {
    List<String> uids = new ArrayList<>();
    try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
        "SELECT uid FROM argo_archived_workflows WHERE clustername = ? AND namespace = ?")) {
      ps.setString(1, clusterName);
      ps.setString(2, ns.name());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          uids.add(rs.getString(1));
        }
      }
    } catch (SQLException e) {
      if ("42P01".equals(e.getSQLState())) {
        return uids; // no table yet: the controller has not migrated
      }
      throw e;
    }
    return uids;
  }

  /** Waits until every one of {@code uids} has a row, then asserts: one row each, no other. */
  void awaitAllArchivedOnce(Map<String, String> uids, Duration within) throws SQLException {
    await(within).untilAsserted(() -> assertThat(archivedUids()).as("archived uids")
        .containsAll(uids.values()));
    assertNoneLostNoneDuplicated(uids);
  }

  void assertNoneLostNoneDuplicated(Map<String, String> uids) throws SQLException {
    List<String> rows = archivedUids();
    assertThat(rows).as("no workflow lost").containsAll(uids.values());
    assertThat(rows).as("no row duplicated, none foreign").doesNotHaveDuplicates()
        .hasSameSizeAs(uids.values());
  }

  /** The archiving-status label of a live workflow, or null (also when it is gone). */
  String archivingStatus(String name) {
    GenericKubernetesResource wf = workflows().withName(name).get();
    return wf == null || wf.getMetadata().getLabels() == null ? null
        : wf.getMetadata().getLabels().get(WorkflowLabels.ARCHIVING_STATUS);
  }

  static ConditionFactory await(Duration within) {
    return Awaitility.await().atMost(within).pollInterval(Duration.ofMillis(250))
        .pollDelay(Duration.ZERO);
  }

  @Override
  public void close() {
    for (ArchivistProcess p : processes) {
      p.close();
    }
  }
}
