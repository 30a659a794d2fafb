package dev.archivist.controller;

import dev.archivist.controller.WorkflowApi.DeleteResult;
import dev.archivist.core.WorkflowKey;
import dev.archivist.core.WorkflowLabels;
import dev.archivist.store.ArchiveStore;
import dev.archivist.store.ArchiveStoreException;
import dev.archivist.workqueue.RateLimitingQueue;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The deletion thread ({@code --delete-after}): takes keys whose delay has passed and deletes the
 * workflow only if, on a fresh read, it is still labelled {@code Archived} and its row exists in
 * the archive; the DELETE carries the resourceVersion it checked as a precondition, so what is
 * deleted is exactly what was checked (same uid, unchanged since).
 *
 * <p>One thread runs {@link #run}; the queue keeps a key off other threads while it is held.
 * Failures (API server, database) go back with the key's backoff; the loop catches everything
 * else at its top, as the archive workers do.
 */
final class WorkflowDeleter implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(WorkflowDeleter.class);

  /** What one attempt decided. */
  enum Decision {
    DELETED,
    /** Gone, no longer Archived, no row, or changed: nothing to do. */
    KEPT,
    RETRY
  }

  private final RateLimitingQueue<WorkflowKey> queue;
  private final WorkflowApi api;
  private final ArchiveStore store;
  private final CountingMetrics metrics;
  private final BooleanSupplier stopping;
  private final LongAdder kept = new LongAdder();

  WorkflowDeleter(RateLimitingQueue<WorkflowKey> queue, WorkflowApi api, ArchiveStore store,
      CountingMetrics metrics, BooleanSupplier stopping) {
    this.queue = Objects.requireNonNull(queue, "queue");
    this.api = Objects.requireNonNull(api, "api");
    this.store = Objects.requireNonNull(store, "store");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.stopping = Objects.requireNonNull(stopping, "stopping");
  }

  @Override
  public void run() {
    while (!stopping.getAsBoolean()) {
      WorkflowKey key;
      try {
        key = queue.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (key == null) {
        return;
      }
      try {
        Decision d;
        try {
          d = decide(key);
        } catch (RuntimeException e) {
          log.error("archive controller: unexpected failure deciding whether to delete {}; "
              + "retrying with backoff", key, e);
          d = Decision.RETRY;
        }
        if (d == Decision.RETRY) {
          queue.addRateLimited(key);
        } else {
          queue.forget(key);
        }
      } finally {
        queue.done(key);
      }
    }
  }

  /** One attempt for one key. */
  Decision decide(WorkflowKey key) {
    Optional<JsonNode> found;
    try {
      found = api.get(key);
    } catch (WorkflowApiException e) {
      log.debug("archive controller: cannot re-read {} before deleting it: {}", key,
          e.getMessage());
      return Decision.RETRY;
    }
    if (found.isEmpty()) {
      return keep(key, "it is gone already");
    }
    JsonNode wf = found.get();
    if (!WorkflowLabels.STATUS_ARCHIVED.equals(
        Workflows.labels(wf).get(WorkflowLabels.ARCHIVING_STATUS))) {
      return keep(key, "it is no longer labelled Archived");
    }
    String uid = wf.path("metadata").path("uid").asString("");
    String resourceVersion = wf.path("metadata").path("resourceVersion").asString("");
    if (uid.isEmpty() || resourceVersion.isEmpty()) {
      return keep(key, "it has no uid or resourceVersion");
    }
    boolean archived;
    try {
      archived = store.exists(uid);
    } catch (ArchiveStoreException e) {
      log.debug("archive controller: cannot check the archive row of {} before deleting it: {}",
          key, e.getMessage());
      return Decision.RETRY;
    }
    if (!archived) {
      log.warn("archive controller: not deleting {} (uid {}): it is labelled Archived but the "
          + "archive has no row for it in this cluster name and instance ID", key, uid);
      return keep(key, "its archive row is missing");
    }
    DeleteResult result;
    try {
      result = api.delete(key, resourceVersion);
    } catch (WorkflowApiException e) {
      log.debug("archive controller: DELETE of {} failed: {}", key, e.getMessage());
      return Decision.RETRY;
    }
    switch (result) {
      case DELETED:
        metrics.deleted();
        log.debug("archive controller: deleted {} (uid {}) after --delete-after", key, uid);
        return Decision.DELETED;
      case GONE:
        return keep(key, "it is gone already");
      case CHANGED:
        // Re-check later: it may still qualify, and if it was replaced the re-read says so.
        return Decision.RETRY;
      default:
        throw new AssertionError(result);
    }
  }

  private Decision keep(WorkflowKey key, String why) {
    kept.increment();
    log.debug("archive controller: not deleting {}: {}", key, why);
    return Decision.KEPT;
  }

  /** How many keys were checked and not deleted; for tests. */
  long keptCount() {
    return kept.sum();
  }
}
