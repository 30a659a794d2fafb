package dev.archivist.controller.archive;

import dev.archivist.controller.archive.KeyOutcome.Retry;
import dev.archivist.controller.metrics.FailureReason;
import dev.archivist.store.ArchiveStore;
import dev.archivist.store.MalformedWorkflowException;
import dev.archivist.store.WorkflowDocument;
import dev.archivist.store.WorkflowDocuments;
import dev.archivist.store.argo.ArgoNodesConfig;
import dev.archivist.store.argo.NodeRestoration;
import dev.archivist.store.argo.NodeRestorer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;

/**
 * Between reading a batch and writing it: puts back the nodes Argo moved out of large workflows
 * ({@link NodeRestorer}: {@code status.compressedNodes}, or the offload table for
 * {@code status.offloadNodeStatusVersion}) and makes each workflow a {@link WorkflowDocument}.
 *
 * <p>A workflow whose nodes cannot be restored is not written, so it is neither marked nor
 * deleted: its key is retried with {@link FailureReason#NODES_UNAVAILABLE}, which quarantine
 * counts, since only that workflow is at fault. An offload table that cannot be read throws, and
 * the caller treats it as a database failure of the whole batch, which never quarantines.
 *
 * <p>Thread-safe: stateless but for the restorer, which is thread-safe.
 */
final class WorkflowPreparer {
  /** A read workflow made ready for the store; {@code read} no longer holds the tree. */
  record Prepared(BatchReader.Read read, WorkflowDocument doc) {}

  /** The workflows ready to write, in read order, and the outcomes of held keys that are not. */
  record Result(List<Prepared> ready, List<KeyOutcome> failed) {}

  private final NodeRestorer restorer;
  private final Clock clock;

  WorkflowPreparer(NodeRestorer restorer, Clock clock) {
    this.restorer = Objects.requireNonNull(restorer, "restorer");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * The restorer of {@code store}'s own database with Argo's default table, or, from a store
   * without a database (a test's), one that finds no offloaded nodes, so an offloaded workflow is
   * unavailable there.
   */
  static NodeRestorer defaultRestorer(ArchiveStore store) {
    try {
      return store.nodeRestorer(ArgoNodesConfig.defaults());
    } catch (UnsupportedOperationException e) {
      return NodeRestorer.over(keys -> Map.of(), ArgoNodesConfig.DEFAULT_MAX_NODES_BYTES);
    }
  }

  /**
   * Restores and converts every read. Only held keys get an outcome when they fail: a page item
   * taken on another key's behalf is dropped, and its own key retries it with its own count.
   *
   * <p>It consumes the parsed trees as it goes: each entry of {@code reads} is replaced by the
   * same read without its tree once its document is made (or it failed), so that a batch never
   * holds all its trees and all its documents at once.
   *
   * @throws dev.archivist.store.ArchiveStoreException when the offload table could not be read
   */
  Result prepare(List<BatchReader.Read> reads) {
    List<JsonNode> workflows = new ArrayList<>(reads.size());
    reads.forEach(r -> workflows.add(r.workflow()));
    List<NodeRestoration> restored = new ArrayList<>(restorer.restore(workflows));
    workflows.clear();
    if (restored.size() != reads.size()) {
      throw new IllegalStateException("node restorer returned " + restored.size()
          + " outcomes for " + reads.size() + " workflows");
    }
    List<Prepared> ready = new ArrayList<>(reads.size());
    List<KeyOutcome> failed = new ArrayList<>();
    for (int i = 0; i < reads.size(); i++) {
      BatchReader.Read r = reads.get(i).withoutWorkflow();
      reads.set(i, r);
      NodeRestoration outcome = restored.set(i, null);
      if (outcome instanceof NodeRestoration.Unavailable unavailable) {
        if (r.held()) {
          failed.add(new Retry(r.key(), FailureReason.NODES_UNAVAILABLE, "the nodes of "
              + r.key() + " cannot be restored, so it is not archived yet: "
              + unavailable.detail()));
        }
        continue;
      }
      JsonNode workflow = ((NodeRestoration.Restored) outcome).workflow();
      try {
        ready.add(new Prepared(r, WorkflowDocuments.fromWorkflow(workflow, clock.instant())));
      } catch (MalformedWorkflowException e) {
        if (r.held()) {
          failed.add(new Retry(r.key(), FailureReason.MALFORMED, "workflow " + r.key()
              + " cannot be archived: " + e.getMessage()));
        }
      }
    }
    return new Result(ready, failed);
  }
}
