package dev.archivist.bench.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.core.WorkflowLabels;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class WorkflowFactoryTest {
  private static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void version_completed_isAboutTheTargetSizeAndCarriesTheCompletedLabel() {
    // A folder that does not exist: the synthetic spec, so the test needs no fixtures.
    WorkflowFactory factory = new WorkflowFactory(32 * 1024, 2, Path.of("/nonexistent"), EPOCH);

    ObjectNode done = factory.version(7, 3);

    int size = WorkflowFactory.sizeOf(done);
    assertThat(size).isBetween(31 * 1024, 32 * 1024);
    assertThat(done.path("metadata").path("labels").path(WorkflowLabels.COMPLETED).asString())
        .isEqualTo("true");
    assertThat(done.path("status").path("finishedAt").isMissingNode()).isFalse();
    assertThat(factory.specSource()).isEqualTo("synthetic");
  }

  @Test
  void version_beforeCompletion_isRunningAndSmaller() {
    WorkflowFactory factory = new WorkflowFactory(32 * 1024, 2, Path.of("/nonexistent"), EPOCH);

    ObjectNode created = factory.version(7, 0);
    ObjectNode updated = factory.version(7, 2);

    assertThat(created.path("status").path("phase").asString()).isEqualTo("Running");
    assertThat(created.path("metadata").path("labels").has(WorkflowLabels.COMPLETED)).isFalse();
    assertThat(WorkflowFactory.sizeOf(created)).isLessThan(WorkflowFactory.sizeOf(updated));
    assertThat(WorkflowFactory.sizeOf(updated))
        .isLessThan(WorkflowFactory.sizeOf(factory.version(7, 3)));
  }
}
