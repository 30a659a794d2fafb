package dev.archivist.app.real;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.testing.ApiRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What {@code archivist run} asks the API server for when it starts with a backlog, read from the
 * real server's audit log: the first LIST must come in pages (limit and continue), and the
 * informer's label selector must be applied by the server, so that neither a large backlog nor
 * workflows it will never archive ever reach the controller's heap at once.
 */
class RealApiServerListTest extends RealBedTest {
  private static final int BACKLOG = 2_000;

  /**
   * 2,000 completed workflows wait when the controller starts: its informers' first LIST comes
   * in pages of at most 500 that follow {@code continue}, and every workflow is archived once.
   */
  @Test
  void firstList_over2000Workflows_isPagedAndArchivesEachOnce() throws Exception {
    Map<String, String> uids = bed.createCompleted("backlog", BACKLOG, 0);

    ArchivistProcess p = bed.start("paged", "256m", bed.controllerKubeconfig(),
        "--namespace", bed.ns.name(), "--kube-qps", "0", "--workers", "8");
    bed.awaitAllArchivedOnce(uids, Duration.ofMinutes(4));

    List<ApiRequest> lists = workflowLists();
    assertThat(lists).as("the informers listed").isNotEmpty();
    assertThat(lists).as("every LIST of workflows carries a limit of at most 500")
        .allSatisfy(r -> assertThat(r.query()).as(r.uri()).containsKey("limit")
            .hasEntrySatisfying("limit", l -> assertThat(Long.parseLong(l))
                .isBetween(1L, 500L)));
    assertThat(lists).as("the first LIST followed continue to its next pages")
        .anySatisfy(r -> assertThat(r.query()).containsKey("continue"));
    assertThat(p.isAlive()).as(p.tail()).isTrue();
  }

  /**
   * The archive informer's selector is applied by the server: it asks only for completed
   * workflows not yet Archived, without Argo's instance-ID label when no {@code --instance-id}
   * is set, so a running or already archived workflow never reaches it.
   */
  @Test
  void informer_selectorIsAppliedByTheServer() throws Exception {
    Map<String, String> uids = bed.createCompleted("selected", 3, 0);
    bed.workflows().resource(RealBed.running("not-selected")).create();

    ArchivistProcess p = bed.start("selector", "256m", bed.controllerKubeconfig(),
        "--namespace", bed.ns.name());
    bed.awaitAllArchivedOnce(uids, Duration.ofMinutes(1));

    List<ApiRequest> listsAndWatches = bed.controllerRequests().stream()
        .filter(r -> r.verb().equals("list") || r.verb().equals("watch"))
        .toList();
    assertThat(listsAndWatches).isNotEmpty();
    assertThat(listsAndWatches).as("the archive informer's LIST and WATCH")
        .anySatisfy(r -> assertThat(r.query().getOrDefault("labelSelector", ""))
            .as(r.uri())
            .contains("workflows.argoproj.io/completed=true")
            .contains("workflows.argoproj.io/workflow-archiving-status!=Archived")
            .contains("!workflows.argoproj.io/controller-instanceid"));
    assertThat(p.isAlive()).as(p.tail()).isTrue();
  }

  private List<ApiRequest> workflowLists() {
    return bed.controllerRequests().stream().filter(r -> r.verb().equals("list")).toList();
  }
}
