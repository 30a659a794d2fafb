package dev.archivist.server;

import dev.archivist.store.ArchiveStore;
import dev.archivist.store.BatchResult;
import dev.archivist.store.WorkflowDocument;
import dev.archivist.store.WorkflowDocuments;
import dev.archivist.testing.WorkflowBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/** Builds Argo Workflow objects for seeding an archive, and seeds it through the real store. */
final class TestWorkflows {
  /** The clock of every seeded row: fixed, so tests never depend on when they run. */
  static final Instant NOW = Instant.parse("2024-06-01T00:00:00Z");

  private TestWorkflows() {}

  /** A completed workflow as the Kubernetes API returns it, with a node status to be dropped. */
  static ObjectNode workflow(String namespace, String name, String uid, String phase,
      Instant startedAt, Map<String, String> extraLabels) {
    ObjectNode wf = WorkflowBuilder.finished(namespace, name, uid, phase, startedAt)
        .labels(extraLabels).parameter("run", name).image("alpine:3.20")
        .message(phase.equals("Succeeded") ? "" : "exit code 1").build();
    ((ObjectNode) wf.get("status")).putObject("nodes").putObject(name).put("phase", phase)
        .put("displayName", name);
    return wf;
  }

  /** Archives {@code workflows} in one batch and fails the test unless every row is written. */
  static void archive(ArchiveStore store, List<ObjectNode> workflows) {
    List<WorkflowDocument> docs = new ArrayList<>();
    for (ObjectNode wf : workflows) {
      docs.add(WorkflowDocuments.fromWorkflow(wf, NOW));
    }
    BatchResult result = store.archive(docs);
    for (BatchResult.RowOutcome outcome : result.outcomes()) {
      if (!(outcome instanceof BatchResult.Written)) {
        throw new AssertionError("seeding the archive failed: " + outcome);
      }
    }
  }
}
