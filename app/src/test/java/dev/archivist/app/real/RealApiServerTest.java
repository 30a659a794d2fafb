package dev.archivist.app.real;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.app.ExitCodes;
import dev.archivist.app.Main;
import dev.archivist.controller.kube.FinalizerApi;
import dev.archivist.testing.ApiRequest;
import dev.archivist.testing.TcpProxy;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code archivist run}, as its own process, against a real kube-apiserver and etcd, in the faults
 * only a real server shows. Each test ends on the same two checks: every workflow it created has
 * exactly one row, and there is no other row.
 */
class RealApiServerTest extends RealBedTest {
  /**
   * The controller as the ServiceAccount of {@code deploy/rbac.yaml}, bound only to its
   * ClusterRole and Role: it lists and watches every namespace, archives, labels, deletes after
   * {@code --delete-after}, and holds its Lease, and the server refuses it nothing.
   */
  @Test
  void serviceAccountOfDeployRbac_archivesLabelsDeletesAndLeads() throws Exception {
    String sa = installDeployRbac();
    Path kubeconfig = bed.ns.serviceAccountKubeconfig(sa);
    Map<String, String> uids = bed.createCompleted("rbac", 20, 0);
    bed.workflows().resource(RealBed.running("still-running")).create();

    ArchivistProcess p = bed.start("rbac", "256m", kubeconfig,
        "--delete-after", "1s", "--leader-elect", "--lease-namespace", bed.ns.name(),
        "--lease-name", "archivist-rbac", "--finalizer");

    bed.awaitAllArchivedOnce(uids, Duration.ofMinutes(2));
    RealBed.await(Duration.ofMinutes(1)).failFast(p::assertAlive).untilAsserted(() ->
        assertThat(bed.workflows().withName("still-running").get().getMetadata()
            .getFinalizers()).as("--finalizer, with deploy/rbac.yaml's patch alone")
            .containsExactly(FinalizerApi.FINALIZER));
    RealBed.await(Duration.ofMinutes(1)).failFast(p::assertAlive).untilAsserted(() ->
        assertThat(bed.workflows().list().getItems()).as("deleted after archiving")
            .extracting(w -> w.getMetadata().getName()).containsExactly("still-running"));
    Lease lease = bed.ns.admin().leases().inNamespace(bed.ns.name())
        .withName("archivist-rbac").get();
    assertThat(lease.getSpec().getHolderIdentity()).isNotBlank();
    RealBed.await(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(p.metric("archivist_leader")).as("archivist_leader").isEqualTo(1.0));
    String user = "system:serviceaccount:" + bed.ns.name() + ":" + sa;
    List<ApiRequest> asController = bed.ns.cluster().requests().stream()
        .filter(r -> r.user().equals(user)).toList();
    assertThat(asController).extracting(ApiRequest::verb)
        .contains("list", "watch", "get", "patch", "delete", "create");
    assertThat(asController).as("requests the server refused").filteredOn(r -> r.code() == 403)
        .isEmpty();
    assertThat(p.isAlive()).as(p.tail()).isTrue();
    bed.assertNoneLostNoneDuplicated(uids);

    // Before an uninstall: stopped, then release-finalizers as the same ServiceAccount.
    p.close();
    StringWriter out = new StringWriter();
    CommandLine release = Main.commandLine(Map.of(), Clock.systemUTC());
    release.setOut(new PrintWriter(out));
    release.setErr(new PrintWriter(new StringWriter()));
    assertThat(release.execute("release-finalizers", "--kubeconfig", kubeconfig.toString(),
        "--namespace", bed.ns.name())).as(out.toString()).isEqualTo(ExitCodes.OK);
    assertThat(out.toString()).contains("1 released, 0 failed");
    assertThat(bed.workflows().withName("still-running").get().getMetadata().getFinalizers())
        .isNullOrEmpty();
  }

  /**
   * The API server is killed (SIGKILL) while a backlog is being archived, stays down, and comes
   * back: the controller keeps running, and archives everything once.
   */
  @Test
  void apiServerKilledAndRestartedMidRun_losesNothing() throws Exception {
    ArchivistProcess p = bed.start("restart", "256m", bed.ns.cluster().kubeconfig(),
        "--namespace", bed.ns.name(), "--archive-qps", "20");
    Map<String, String> uids = bed.createCompleted("restart", 150, 1024);
    RealBed.await(Duration.ofMinutes(1)).until(() -> bed.archivedUids().size() >= 20);

    bed.ns.cluster().killApiServer();
    double failuresBefore = p.metric("archivist_archive_failures_total");
    RealBed.await(Duration.ofMinutes(1)).failFast(p::assertAlive)
        .until(() -> p.metric("archivist_archive_failures_total") > failuresBefore);
    int archivedWhileDown = bed.archivedUids().size();
    bed.ns.cluster().startApiServer();

    bed.awaitAllArchivedOnce(uids, Duration.ofMinutes(3));
    assertThat(archivedWhileDown).as("the kill happened mid-run").isLessThan(uids.size());
    RealBed.await(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(bed.workflows().list()
        .getItems()).allSatisfy(w -> assertThat(w.getMetadata().getLabels())
            .containsEntry("workflows.argoproj.io/workflow-archiving-status", "Archived")));
    assertThat(p.isAlive()).as(p.tail()).isTrue();
  }

  /**
   * The controller's connection is cut; meanwhile workflows are created and etcd is compacted, so
   * its watch cannot resume where it stopped (410 Gone): it lists again and misses nothing.
   */
  @Test
  void watchExpiredByEtcdCompaction_relistsAndMissesNothing() throws Exception {
    URI server = URI.create(bed.ns.cluster().serverUrl());
    try (TcpProxy proxy = new TcpProxy(server.getHost(), server.getPort())) {
      ArchivistProcess p = bed.start("compaction", "256m",
          bed.kubeconfigVia(bed.controllerKubeconfig(), proxy.port()), "--namespace",
          bed.ns.name());
      Map<String, String> before = bed.createCompleted("before", 10, 0);
      bed.awaitAllArchivedOnce(before, Duration.ofMinutes(1));
      long listsBefore = controllerLists();

      proxy.cutOff();
      Map<String, String> during = bed.createCompleted("during", 10, 0);
      bed.ns.cluster().compactEtcd();
      proxy.restore();

      Map<String, String> all = new java.util.HashMap<>(before);
      all.putAll(during);
      bed.awaitAllArchivedOnce(all, Duration.ofMinutes(2));
      assertThat(controllerLists()).as("the informer listed again after its watch expired")
          .isGreaterThan(listsBefore);
      assertThat(p.isAlive()).as(p.tail()).isTrue();
    }
  }

  /**
   * Two replicas with {@code --leader-elect} on a real Lease: the leader is killed with SIGKILL
   * mid-backlog, the standby takes the Lease once it expires and archives the rest; the failover
   * time is printed.
   */
  @Test
  void leaderKilled_standbyTakesOverAndArchivesTheRest() throws Exception {
    String[] election = {"--namespace", bed.ns.name(), "--archive-qps", "10",
        "--leader-elect", "--lease-namespace", bed.ns.name(), "--lease-name", "archivist",
        "--lease-duration", "6s", "--lease-renew-deadline", "4s", "--lease-retry-period", "1s"};
    ArchivistProcess a = bed.start("leader-a", "256m", bed.ns.cluster().kubeconfig(), election);
    RealBed.await(Duration.ofMinutes(1)).until(() -> a.metric("archivist_leader") == 1.0);
    ArchivistProcess b = bed.start("leader-b", "256m", bed.ns.cluster().kubeconfig(), election);
    Map<String, String> uids = bed.createCompleted("lead", 80, 0);
    RealBed.await(Duration.ofMinutes(1)).until(() -> bed.archivedUids().size() >= 10);
    assertThat(b.metric("archivist_leader")).as("the standby waits").isEqualTo(0.0);
    String holderBefore = holder();

    long killedAt = System.nanoTime();
    a.kill();
    RealBed.await(Duration.ofMinutes(1)).failFast(b::assertAlive)
        .until(() -> b.metric("archivist_leader") == 1.0);
    long failoverMillis = (System.nanoTime() - killedAt) / 1_000_000;
    System.out.printf("leader failover: %d ms from SIGKILL of the leader to the standby leading"
        + " (lease duration 6 s)%n", failoverMillis);

    bed.awaitAllArchivedOnce(uids, Duration.ofMinutes(2));
    assertThat(holder()).isNotEqualTo(holderBefore);
    assertThat(b.isAlive()).as(b.tail()).isTrue();
  }

  private String holder() {
    return bed.ns.admin().leases().inNamespace(bed.ns.name()).withName("archivist").get()
        .getSpec().getHolderIdentity();
  }

  /** The controller's LISTs of workflows that the server has answered. */
  private long controllerLists() {
    return bed.controllerRequests().stream().filter(r -> r.verb().equals("list")).count();
  }

  /**
   * Installs {@code deploy/rbac.yaml} into this test's namespace: its ServiceAccount, Role and
   * RoleBinding here, its ClusterRole and ClusterRoleBinding under names of this test. Returns
   * the ServiceAccount's name.
   */
  private String installDeployRbac() throws Exception {
    Path file = Path.of(System.getProperty(dev.archivist.testing.Fixtures.REPO_ROOT_PROPERTY),
        "deploy", "rbac.yaml");
    List<HasMetadata> objects;
    try (InputStream in = Files.newInputStream(file)) {
      objects = bed.ns.admin().load(in).items();
    }
    String ns = bed.ns.name();
    String sa = null;
    for (HasMetadata o : objects) {
      if (o.getKind().equals("ServiceAccount")) {
        sa = o.getMetadata().getName();
      }
    }
    assertThat(sa).as("deploy/rbac.yaml has a ServiceAccount").isNotNull();
    for (HasMetadata o : objects) {
      if (o instanceof ClusterRole role) {
        role.getMetadata().setName(ns + "-" + role.getMetadata().getName());
        bed.ns.createClusterScoped(role);
      } else if (o instanceof ClusterRoleBinding binding) {
        binding.getMetadata().setName(ns + "-" + binding.getMetadata().getName());
        binding.getRoleRef().setName(ns + "-" + binding.getRoleRef().getName());
        binding.getSubjects().forEach(s -> s.setNamespace(ns));
        bed.ns.createClusterScoped(binding);
      } else {
        o.getMetadata().setNamespace(ns);
        if (o instanceof RoleBinding binding) {
          for (Subject s : binding.getSubjects()) {
            s.setNamespace(ns);
          }
        }
        bed.ns.admin().resource(o).inNamespace(ns).create();
      }
    }
    return sa;
  }
}
