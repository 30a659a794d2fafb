package dev.archivist.app.real;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code archivist run} on a namespace with no workflow yet: a real API server answers a
 * metadata-only LIST that matches nothing with {@code "items": null}, which the mock never does.
 * Both informers must sync at once anyway, and the first workflow must be archived and deleted.
 */
class RealApiServerEmptyTest extends RealBedTest {
  @Test
  void informers_onAnEmptyNamespace_syncWithoutRetrying() throws Exception {
    ArchivistProcess p = bed.start("empty", "256m", bed.controllerKubeconfig(),
        "--namespace", bed.ns.name(), "--delete-after", "1s");

    RealBed.await(Duration.ofSeconds(60)).failFast(p::assertAlive).untilAsserted(() ->
        assertThat(p.output()).as("both informers synced")
            .contains("informer for Workflows in namespace " + bed.ns.name() + " synced")
            .contains("informer for Archived workflows in namespace " + bed.ns.name()
                + " synced"));
    assertThat(p.output()).as("no informer failed its first LIST")
        .doesNotContain("failed before its first list");

    Map<String, String> uids = bed.createCompleted("first", 1, 0);
    bed.awaitAllArchivedOnce(uids, Duration.ofMinutes(1));
    RealBed.await(Duration.ofMinutes(1)).failFast(p::assertAlive)
        .until(() -> bed.workflows().list().getItems().isEmpty());
  }
}
