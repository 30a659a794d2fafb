package dev.archivist.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.core.WorkflowLabels;
import dev.archivist.store.ArchiveStore;
import dev.archivist.store.StoreConfig;
import dev.archivist.testing.ApiRequest;
import dev.archivist.testing.KubeExtension;
import dev.archivist.testing.PostgresExtension;
import dev.archivist.testing.TestDatabase;
import dev.archivist.testing.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The archive controller against the real API server and PostgreSQL: what a backlog costs in
 * requests, read from the API server's audit log. One LIST page per batch instead of one GET per
 * workflow makes it about one request (the label PATCH) per archived workflow.
 */
@ExtendWith({PostgresExtension.class, KubeExtension.class})
class ArchiveControllerRealServerTest {
  private static final int BACKLOG = 400;
  private static final int PAD = 16 * 1024;

  @BeforeAll
  static void migrate(TestDatabase db) {
    try (ArchiveStore s = ArchiveStore.open(StoreConfig.of(db.jdbcUrl(), null, null))) {
      s.migrate();
    }
  }

  @Test
  void backlog_readByPages_costsAboutOneRequestPerWorkflow(TestNamespace ns, TestDatabase db)
      throws Exception {
    double perWorkflow = archiveBacklog(ns, db, true);

    assertThat(perWorkflow).as("API requests per archived workflow").isLessThanOrEqualTo(1.2);
  }

  @Test
  void backlog_readByGets_costsTwoRequestsPerWorkflow(TestNamespace ns, TestDatabase db)
      throws Exception {
    double perWorkflow = archiveBacklog(ns, db, false);

    assertThat(perWorkflow).as("API requests per archived workflow").isGreaterThanOrEqualTo(2.0);
  }

  /** Archives a backlog of {@value #BACKLOG}; returns the API requests per workflow. */
  private double archiveBacklog(TestNamespace ns, TestDatabase db, boolean pages)
      throws Exception {
    Map<String, String> uids = RealWorkflows.createCompleted(ns, "wf", BACKLOG, PAD);
    String clusterName = "real-" + ns.name().hashCode();
    ControllerConfig config = ControllerConfig.defaults()
        .withNamespaces(List.of(ns.name()))
        .withClusterName(clusterName)
        .withWorkers(4)
        .withBatchSize(50)
        .withShutdownTimeout(Duration.ofSeconds(20));
    try (KubernetesClient client = ns.cluster().newAdminClient();
        ArchiveStore store = ArchiveStore.open(StoreConfig.of(db.jdbcUrl(), null, null)
            .withScope(clusterName, ""));
        DefaultArchiveController c = ControllerAssembly.of(client, store, config)
            .clock(Clock.systemUTC())
            .readByPages(pages)
            .buildArchive()) {
      c.start();
      Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
          .until(() -> rows(db, clusterName).size() >= BACKLOG);
      Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
          .until(() -> c.stats().pending() == 0);
    }
    List<String> rows = rows(db, clusterName);
    assertThat(rows).as("every workflow archived, once").doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(uids.values());
    assertThat(rowBytes(db, clusterName)).as("rows hold the whole workflow, status included")
        .allSatisfy(n -> assertThat(n).isGreaterThan(PAD));
    assertThat(Workflows.list(ns)).allSatisfy((name, status) ->
        assertThat(status).as(name).isEqualTo(WorkflowLabels.STATUS_ARCHIVED));

    List<ApiRequest> requests = ns.cluster().requests().stream()
        .filter(r -> r.namespace().equals(ns.name()) && r.resource().equals("workflows")
            && Set.of("get", "list", "patch").contains(r.verb()))
        .toList();
    Map<String, Long> byVerb = requests.stream()
        .collect(Collectors.groupingBy(ApiRequest::verb, TreeMap::new, Collectors.counting()));
    double perWorkflow = (double) requests.size() / BACKLOG;
    System.out.printf("requests for %d workflows, reading by %s: %s = %.3f per workflow%n",
        BACKLOG, pages ? "LIST pages" : "GETs", byVerb, perWorkflow);
    return perWorkflow;
  }

  private static List<String> rows(TestDatabase db, String clusterName) throws Exception {
    return db.column(String.class,
        "SELECT uid FROM argo_archived_workflows WHERE clustername = ?", clusterName);
  }

  private static List<Integer> rowBytes(TestDatabase db, String clusterName) throws Exception {
    return db.column(Integer.class,
        "SELECT length(workflow::text) FROM argo_archived_workflows WHERE clustername = ?",
        clusterName);
  }

  /** The live workflows of the namespace and their archiving-status labels. */
  private static final class Workflows {
    static Map<String, String> list(TestNamespace ns) {
      Map<String, String> out = new TreeMap<>();
      dev.archivist.controller.kube.Workflows.operation(ns.admin()).inNamespace(ns.name()).list()
          .getItems().forEach(w -> out.put(w.getMetadata().getName(), String.valueOf(
              w.getMetadata().getLabels().get(WorkflowLabels.ARCHIVING_STATUS))));
      return out;
    }
  }
}
