package dev.archivist.app.argo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.app.Main;
import dev.archivist.app.real.ArchivistProcess;
import dev.archivist.controller.kube.Workflows;
import dev.archivist.core.WorkflowLabels;
import dev.archivist.testing.KubeExtension;
import dev.archivist.testing.PostgresExtension;
import dev.archivist.testing.TcpProxy;
import dev.archivist.testing.TestCluster;
import dev.archivist.testing.TestDatabase;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Argo's real {@code workflow-controller} and Archivist side by side, with the settings
 * {@code docs/argo.md} recommends: Argo's archive off and its {@code persistence} pointed at the
 * archive, Archivist with {@code --finalizer}. Argo itself runs the workflows to completion (a
 * {@code suspend} template with a duration needs no pod, so the test bed's lone API server is
 * enough) and applies their {@code ttlStrategy}; Archivist archives them.
 *
 * <p>What it shows: Argo's controller leaves Archivist's label and finalizer alone, its TTL
 * cannot delete a workflow that is not archived yet (the database is cut off meanwhile), a
 * running workflow deleted by hand is archived as it was, and no workflow is archived twice.
 */
@ExtendWith({ArgoBinaries.class, KubeExtension.class, PostgresExtension.class})
class ArgoControllerBesideArchivistTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String FINALIZER = "archivist.dev/archive";
  /** Argo's {@code persistence.clusterName} as {@link ArgoPersistence} writes it. */
  private static final String CLUSTER_NAME = "default";

  private static TestDatabase db;
  private static KubeTestBed kube;
  private static String ns;
  private static TcpProxy proxy;
  private static ArgoPersistence persistence;
  private static ArchivistProcess archivist;
  private static WorkflowControllerProcess argo;

  @BeforeAll
  static void start(TestDatabase database, TestCluster cluster) throws Exception {
    db = database;
    ArgoBinaries binaries = ArgoBinaries.require();
    kube = new KubeTestBed(cluster);
    kube.installCrds(binaries.crds());
    ns = "beside-" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);
    kube.createNamespaces(List.of(ns));
    Path logs = Path.of("target", "argo", ns).toAbsolutePath();

    // Archivist reaches the database through a proxy that a test can cut off; Argo directly.
    proxy = TcpProxy.inFrontOf(db.jdbcUrl());
    String viaProxy = proxy.route(db.jdbcUrl());

    // Archivist first: its migrations bring the schema to Argo's last step, so that Argo's
    // controller, which migrates at start-up too, finds nothing to do.
    archivist = ArchivistProcess.start("archivist", "256m", List.of(
        "--kubeconfig", cluster.kubeconfig().toString(), "--db", viaProxy,
        "--namespace", ns, "--cluster-name", CLUSTER_NAME, "--finalizer",
        "--db-statement-timeout", "10s"), Map.of(), logs);
    await(Duration.ofMinutes(2)).failFast(archivist::assertAlive)
        .until(() -> archivist.port() > 0);

    persistence = ArgoPersistence.prepare(db);
    persistence.grantRead();
    // Argo's controller runs "create table if not exists" at start-up even on a schema at its
    // last step, which a user without CREATE on the schema may not: skipMigration, as the docs
    // recommend for a database that Archivist migrates.
    kube.createConfigMap(ns, ArgoServerInteropContract.ARGO_CONFIGMAP,
        Map.of("persistence", persistence.persistenceYaml(ArgoServerInteropContract.DB_SECRET)
            + "skipMigration: true\n"));
    kube.createSecret(ns, ArgoServerInteropContract.DB_SECRET, persistence.secretData());
    argo = WorkflowControllerProcess.start(binaries, cluster.kubeconfig(), ns,
        logs.resolve("workflow-controller.log"));
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (argo != null) {
        argo.close();
      }
      if (archivist != null) {
        archivist.close();
      }
      if (kube != null && ns != null) {
        // Whatever a failed test left holding our finalizer is let go, by the command an
        // operator runs before an uninstall.
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine(Map.of(), Clock.systemUTC());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(out, true));
        int exit = cl.execute("release-finalizers", "--kubeconfig", kube.kubeconfig().toString(),
            "--namespace", ns);
        assertThat(exit).as(out.toString()).isZero();
      }
    } finally {
      if (kube != null) {
        kube.close();
      }
      if (proxy != null) {
        proxy.close();
      }
      if (persistence != null) {
        persistence.close();
      }
    }
  }

  /**
   * Argo runs a workflow to completion; Archivist held it from its creation, archives it once
   * with Argo's final status and nodes, labels it and lets it go; and Argo's controller, seeing
   * those changes, neither undoes them nor archives it again.
   */
  @Test
  void argoCompletesAWorkflow_archivistArchivesItOnce_andArgoLeavesTheLabelAlone()
      throws Exception {
    String uid = create(suspending("done", "1s", null));

    awaitArchivedLabel("done");
    JsonNode stored = storedWorkflow(uid);
    assertThat(stored.path("status").path("phase").asString()).isEqualTo("Succeeded");
    assertThat(stored.path("status").path("nodes").size()).as("Argo's nodes").isPositive();
    assertThat(stored.path("metadata").path("finalizers").toString())
        .as("it was held until its row was written").contains(FINALIZER);
    // Released in the PATCH that labels it, or (when the finalizer was added after the worker
    // read the workflow) in a second PATCH right after.
    await(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(finalizers("done")).as("released once labelled").doesNotContain(FINALIZER));

    // A second workflow that Argo runs and completes after Archivist's PATCH of the first: by
    // then Argo's controller has seen that PATCH, and had its chance to react to it.
    create(suspending("later", "1s", null));
    awaitArchivedLabel("later");
    JsonNode live = workflow("done");
    assertThat(live.path("metadata").path("labels").path(WorkflowLabels.ARCHIVING_STATUS)
        .asString()).isEqualTo(WorkflowLabels.STATUS_ARCHIVED);
    assertThat(live.path("metadata").path("labels").path(WorkflowLabels.COMPLETED).asString())
        .isEqualTo("true");
    assertThat(rowCount(uid)).as("archived once").isEqualTo(1);
    assertThat(archivist.metric("archivist_workflows_lost_total")).isZero();
  }

  /**
   * Argo's TTL deletes a completed workflow while Archivist's database is cut off: the deletion
   * only sets deletionTimestamp, and once the database is back the workflow is archived as it
   * was and the API server removes it.
   */
  @Test
  void argosTtl_whileTheArchiveIsDown_waitsUntilTheWorkflowIsArchived() throws Exception {
    proxy.cutOff();
    String uid;
    String finishedAt;
    try {
      uid = create(suspending("ttl", "1s", 1));
      await(Duration.ofMinutes(3)).untilAsserted(() -> {
        JsonNode wf = workflow("ttl");
        assertThat(wf).as("held by our finalizer").isNotNull();
        assertThat(wf.path("status").path("phase").asString()).isEqualTo("Succeeded");
        assertThat(wf.path("metadata").path("deletionTimestamp").asString(""))
            .as("deleted by Argo's TTL").isNotEmpty();
      });
      assertThat(finalizers("ttl")).contains(FINALIZER);
      assertThat(rowCount(uid)).isZero();
      finishedAt = workflow("ttl").path("status").path("finishedAt").asString();
    } finally {
      proxy.restore();
    }

    await(Duration.ofMinutes(3)).until(() -> workflow("ttl") == null);
    assertThat(rowCount(uid)).as("archived once").isEqualTo(1);
    // Stored as Argo completed it: a completed workflow does not change after, so the snapshot
    // may be the one read before the deletion (then without deletionTimestamp).
    JsonNode stored = storedWorkflow(uid);
    assertThat(stored.path("status").path("phase").asString()).isEqualTo("Succeeded");
    assertThat(stored.path("status").path("finishedAt").asString()).isEqualTo(finishedAt);
    assertThat(archivist.metric("archivist_workflows_lost_total")).isZero();
  }

  /** A workflow deleted while Argo still runs it is archived as it was, then removed. */
  @Test
  void aRunningWorkflowDeleted_isArchivedAsItWas() throws Exception {
    String uid = create(suspending("running", null, null));
    await(Duration.ofMinutes(3)).untilAsserted(() -> {
      assertThat(workflow("running").path("status").path("phase").asString())
          .isEqualTo("Running");
      assertThat(finalizers("running")).contains(FINALIZER);
    });

    Workflows.operation(kube.client()).inNamespace(ns)
        .withName("running").delete();

    await(Duration.ofMinutes(3)).until(() -> workflow("running") == null);
    assertThat(rowCount(uid)).as("archived once").isEqualTo(1);
    JsonNode stored = storedWorkflow(uid);
    assertThat(stored.path("status").path("phase").asString()).isEqualTo("Running");
    assertThat(stored.path("metadata").path("deletionTimestamp").asString("")).isNotEmpty();
  }

  // ---- helpers --------------------------------------------------------------------------------

  /**
   * A workflow whose one step is a {@code suspend}: with a duration Argo resumes and completes
   * it by itself, without one it runs until deleted. {@code ttlSeconds} sets Argo's
   * {@code ttlStrategy.secondsAfterCompletion}.
   */
  private static ObjectNode suspending(String name, String duration, Integer ttlSeconds) {
    ObjectNode wf = JSON.createObjectNode();
    wf.put("apiVersion", "argoproj.io/v1alpha1").put("kind", "Workflow");
    wf.putObject("metadata").put("name", name).put("namespace", ns);
    ObjectNode spec = wf.putObject("spec").put("entrypoint", "main");
    ObjectNode suspend = spec.putArray("templates").addObject().put("name", "main")
        .putObject("suspend");
    if (duration != null) {
      suspend.put("duration", duration);
    }
    if (ttlSeconds != null) {
      spec.putObject("ttlStrategy").put("secondsAfterCompletion", ttlSeconds);
    }
    return wf;
  }

  private static String create(ObjectNode workflow) {
    return kube.createWorkflow(workflow).getMetadata().getUid();
  }

  /** The live workflow, or null once it is gone. */
  private static JsonNode workflow(String name) {
    GenericKubernetesResource wf = Workflows.operation(kube.client())
        .inNamespace(ns).withName(name).get();
    return wf == null ? null : JSON.valueToTree(wf);
  }

  private static List<String> finalizers(String name) {
    GenericKubernetesResource wf = Workflows.operation(kube.client())
        .inNamespace(ns).withName(name).get();
    return wf == null || wf.getMetadata().getFinalizers() == null ? List.of()
        : wf.getMetadata().getFinalizers();
  }

  private void awaitArchivedLabel(String name) {
    await(Duration.ofMinutes(3)).untilAsserted(() -> {
      JsonNode wf = workflow(name);
      assertThat(wf).isNotNull();
      assertThat(wf.path("metadata").path("labels").path(WorkflowLabels.ARCHIVING_STATUS)
          .asString("")).isEqualTo(WorkflowLabels.STATUS_ARCHIVED);
    });
  }

  /** Rows for {@code uid} in the archive, read directly (not through the cut-off proxy). */
  private static int rowCount(String uid) throws SQLException {
    return db.column(Long.class, "SELECT count(*) FROM argo_archived_workflows"
        + " WHERE clustername = ? AND uid = ?", CLUSTER_NAME, uid).get(0).intValue();
  }

  private static JsonNode storedWorkflow(String uid) throws SQLException {
    List<String> stored = db.column(String.class, "SELECT workflow FROM argo_archived_workflows"
        + " WHERE clustername = ? AND uid = ?", CLUSTER_NAME, uid);
    assertThat(stored).as("a row for %s", uid).isNotEmpty();
    return JSON.readTree(stored.get(0));
  }

  /** Waits, failing at once (with the logs' ends) when either controller has exited. */
  private static ConditionFactory await(Duration within) {
    return Awaitility.await().atMost(within).pollInterval(Duration.ofMillis(250))
        .failFast(() -> {
          if (argo != null) {
            argo.assertAlive();
          }
          archivist.assertAlive();
        });
  }
}
