package dev.archivist.controller.lifecycle;

import dev.archivist.controller.informer.InformerSelector;
import dev.archivist.controller.informer.KeyEnqueuer;
import dev.archivist.controller.informer.LatestStateHandler;
import dev.archivist.controller.informer.WorkflowInformers;
import dev.archivist.controller.kube.LifecycleApi;
import dev.archivist.controller.kube.LifecycleApi.DeleteResult;
import dev.archivist.controller.kube.WorkflowApi;
import dev.archivist.controller.kube.WorkflowApiException;
import dev.archivist.controller.kube.Workflows;
import dev.archivist.controller.metrics.LifecycleMetrics;
import dev.archivist.core.LabelSelector;
import dev.archivist.core.WorkflowKey;
import dev.archivist.core.WorkflowLabels;
import dev.archivist.store.ArchiveStore;
import dev.archivist.store.ArchiveStoreException;
import dev.archivist.workqueue.RateLimitingQueue;
import dev.archivist.workqueue.WorkerLoop;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * {@code --delete-after}: deletes a workflow from the cluster once it has been labelled Archived
 * for that long.
 *
 * <h2>How</h2>
 * Its own informers (one per watched namespace, or one for all) list, in pages, and watch the
 * metadata of this instance's Workflows with the server-side selector
 * {@code workflow-archiving-status=Archived} plus the archive's own instance-ID requirement and
 * {@code --archive-label-selector} ({@link InformerSelector#archived}), with a reduced cache (key
 * and uid) and no resync. A {@code --delete-after} of zero deletes a workflow as soon as it is
 * labelled.
 * Their handler computes when the workflow falls due, from the
 * {@value LifecycleApi#ARCHIVED_AT_ANNOTATION} annotation the archive worker sets with the label
 * (for workflows labelled by someone else: now, or its {@code status.finishedAt} where the server
 * sends full objects; the reaper reads it again when the key falls due), and calls
 * {@code addAfter(key, due - now)} on a delaying queue: O(1), no I/O, no thread or timer per
 * workflow. After a restart the informers' first list schedules everything again, so workflows
 * archived long ago are deleted at once. A workflow that already has a deletionTimestamp (held
 * by a finalizer, such as Argo's artifact GC, which keeps updating it) is left alone: it is
 * deleted, and counted, once.
 *
 * <p>One reaper thread takes due keys and, for each, checks the workflow again and deletes it
 * only if it is still labelled Archived (which a quarantined workflow never is), still
 * selected, is due, and has a row in the archive ({@link ArchiveStore#exists}); then DELETEs
 * with {@code preconditions.uid} and {@code preconditions.resourceVersion} of the version it
 * checked, so a workflow re-created under the name, or changed since, is refused by the API
 * server (409) and left alone. The check costs no request when the informers hold the very
 * version their handler saw (then Archived, selected, not being deleted, and due as computed):
 * the DELETE alone is sent. Otherwise the workflow is read (GET) first. Failures retry with the
 * queue's per-item backoff.
 *
 * <h2>Threads</h2>
 * fabric8's informer threads run the handler (queue calls and the {@code seen} map only); the
 * reaper thread runs {@link #reap}; {@link #start} and {@link #close} run on the lifecycle's
 * thread. No lock here: the queue is thread-safe and hands a key to the single reaper thread
 * only, and {@code seen} is a concurrent map whose entries are replaced whole.
 */
public final class ArchivedReaper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ArchivedReaper.class);

  private final RateLimitingQueue<WorkflowKey> queue;
  private final WorkflowApi api;
  private final LifecycleApi lifecycleApi;
  private final ArchiveStore store;
  private final Duration deleteAfter;
  private final Clock clock;
  private final BooleanSupplier fence;
  private final LifecycleMetrics metrics;
  private final WorkflowInformers informers;
  /**
   * The instance ID and {@code --archive-label-selector}: only what this instance archives is its
   * to delete. Without them the reaper would read every Archived workflow in the cluster, and
   * would delete another instance's (one with another selector over the same archive) once it
   * found the row.
   */
  private final LabelSelector selector;
  /**
   * What the informers' handler last saw of each Archived workflow: enough to delete it without
   * reading it again while the informers hold that same version. One small entry per Archived
   * workflow of the selection, like the informers' own cache; removed when the informers drop
   * the workflow or see it being deleted, and after each look at a due key.
   */
  private final Map<WorkflowKey, Seen> seen = new ConcurrentHashMap<>();
  private final Thread thread;

  /** An Archived workflow's version as the informers saw it, and when it falls due. */
  private record Seen(String uid, String resourceVersion, Instant due) {}

  /**
   * @param instanceId and {@code archiveSelector}: what the archive selects; only those
   *     workflows are deleted
   */
  public ArchivedReaper(KubernetesClient client, List<String> namespaces, String instanceId,
      LabelSelector archiveSelector, RateLimitingQueue<WorkflowKey> queue, WorkflowApi api,
      LifecycleApi lifecycleApi, ArchiveStore store, Duration deleteAfter, Clock clock,
      BooleanSupplier fence, LifecycleMetrics metrics, ThreadFactory threads) {
    this.queue = Objects.requireNonNull(queue, "queue");
    this.api = Objects.requireNonNull(api, "api");
    this.lifecycleApi = Objects.requireNonNull(lifecycleApi, "lifecycleApi");
    this.store = Objects.requireNonNull(store, "store");
    this.deleteAfter = Objects.requireNonNull(deleteAfter, "deleteAfter");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.fence = Objects.requireNonNull(fence, "fence");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.selector = InformerSelector.archived(instanceId, archiveSelector);
    this.informers = WorkflowInformers.build(client, namespaces, InformerSelector.render(selector),
        "delete-after",
        "Archived workflows", new Scheduler(), "metadata.uid");
    this.thread = threads.newThread(this::loop);
  }

  /** Starts the informers and the reaper thread; returns at once. */
  public void start() {
    log.info("delete-after: deleting archived workflows {} after they were labelled Archived",
        deleteAfter);
    thread.start();
    informers.start();
  }

  public boolean isSynced() {
    return informers.isSynced();
  }

  /** Stops the informers, then the queue; the reaper finishes the key it holds. */
  @Override
  public void close() {
    informers.close();
    queue.shutDown();
    thread.interrupt();
  }

  /** Waits up to {@code timeout} for the reaper thread to end. */
  public void awaitStopped(Duration timeout) throws InterruptedException {
    thread.join(Math.max(1, timeout.toMillis()));
  }

  private void loop() {
    // The boundary: one workflow's surprise must not stop deletion of the others.
    WorkerLoop.run(queue, key -> apply(key, reap(key)), (key, e) -> log.error(
        "delete-after: unexpected failure on {}; retrying with backoff", key, e));
  }

  /** What one look at a due key decided; {@link #apply} turns it into queue calls. */
  sealed interface Reaped {
    /** The API server accepted the deletion. */
    record Deleted() implements Reaped {}

    /** Nothing more to do: gone, no longer labelled Archived, or not ours to delete. */
    record Done() implements Reaped {}

    /** Not due yet: look again after {@code delay}. */
    record NotYet(Duration delay) implements Reaped {}

    /** A call failed, or the workflow changed since it was read: look again with backoff. */
    record Retry() implements Reaped {}

    /** This instance may not write now (no fresh lease): look again with backoff. */
    record Abandoned() implements Reaped {}
  }

  private static final Reaped DELETED = new Reaped.Deleted();
  private static final Reaped DONE = new Reaped.Done();
  private static final Reaped RETRY = new Reaped.Retry();
  private static final Reaped ABANDONED = new Reaped.Abandoned();

  /**
   * One due key: checks everything again, then deletes. It decides and logs, and touches neither
   * the queue nor the metrics; {@link #apply} does.
   */
  Reaped reap(WorkflowKey key) {
    if (!fence.getAsBoolean()) {
      return ABANDONED;
    }
    Seen last = seen.get(key);
    if (last != null && last.resourceVersion().equals(informers.resourceVersion(key))) {
      // The informers' latest version was Archived, selected and not being deleted (their
      // selector and handler say so), and its due time is known: no GET. The DELETE's
      // preconditions refuse it if the workflow changed since.
      Instant now = clock.instant();
      if (now.isBefore(last.due())) {
        return new Reaped.NotYet(Duration.between(now, last.due()));
      }
      return delete(key, last.uid(), last.resourceVersion());
    }
    Optional<JsonNode> found;
    try {
      found = api.get(key);
    } catch (WorkflowApiException e) {
      log.debug("delete-after: {}", e.getMessage());
      return RETRY;
    }
    if (found.isEmpty()) {
      return DONE;
    }
    JsonNode wf = found.get();
    if (!wf.path("metadata").path("deletionTimestamp").asString("").isEmpty()) {
      // Already being deleted (by us or anyone), held by a finalizer such as Argo's artifact
      // GC, which keeps updating it: nothing left to do, and deleting again would count twice.
      return DONE;
    }
    Map<String, String> labels = Workflows.labels(wf);
    if (!WorkflowLabels.STATUS_ARCHIVED.equals(labels.get(WorkflowLabels.ARCHIVING_STATUS))) {
      log.info("delete-after: {} is no longer labelled Archived; leaving it", key);
      return DONE;
    }
    if (!selector.matches(labels)) {
      log.info("delete-after: {} is no longer selected (instance ID, --archive-label-selector);"
          + " leaving it", key);
      return DONE;
    }
    // A quarantined workflow is never labelled Archived, so the check above also skips it.
    JsonNode meta = wf.path("metadata");
    Instant now = clock.instant();
    Instant due = dueAt(meta.path("annotations").path(LifecycleApi.ARCHIVED_AT_ANNOTATION)
        .asString(null), wf.path("status").path("finishedAt").asString(null), now);
    if (now.isBefore(due)) {
      return new Reaped.NotYet(Duration.between(now, due));
    }
    return delete(key, meta.path("uid").asString(""), meta.path("resourceVersion").asString(""));
  }

  /**
   * Deletes the version {@code uid}/{@code resourceVersion} of a due, Archived workflow if this
   * archive has its row.
   */
  private Reaped delete(WorkflowKey key, String uid, String resourceVersion) {
    if (uid.isEmpty() || resourceVersion.isEmpty()) {
      log.warn("delete-after: {} has no uid or resourceVersion; not deleting it", key);
      return DONE;
    }
    boolean archived;
    try {
      archived = store.exists(uid);
    } catch (ArchiveStoreException e) {
      log.warn("delete-after: cannot check the archive row of {} (uid {}); retrying: {}", key,
          uid, e.getMessage());
      return RETRY;
    }
    if (!archived) {
      log.warn("delete-after: {} (uid {}) is labelled Archived but has no row in this archive "
          + "(cluster name and instance ID as configured); not deleting it", key, uid);
      return DONE;
    }
    if (!fence.getAsBoolean()) {
      return ABANDONED;
    }
    DeleteResult result;
    try {
      result = lifecycleApi.delete(key, uid, resourceVersion);
    } catch (WorkflowApiException e) {
      log.warn("delete-after: {}; retrying with backoff", e.getMessage());
      return RETRY;
    }
    switch (result) {
      case DELETED:
        log.debug("delete-after: deleted {} (uid {})", key, uid);
        return DELETED;
      case GONE:
        return DONE;
      case CHANGED:
        // Re-created or changed since the read: look again (its own event also brings it back).
        log.info("delete-after: {} changed since it was read (uid {}); checking it again", key,
            uid);
        return RETRY;
      default:
        throw new AssertionError(result);
    }
  }

  /**
   * Turns what {@link #reap} decided into queue calls and metrics; a key that is finished with
   * leaves the schedule's memory too.
   */
  void apply(WorkflowKey key, Reaped outcome) {
    if (outcome instanceof Reaped.Deleted) {
      seen.remove(key);
      metrics.deleted();
      queue.forget(key);
    } else if (outcome instanceof Reaped.Done) {
      seen.remove(key);
      queue.forget(key);
    } else if (outcome instanceof Reaped.NotYet notYet) {
      queue.addAfter(key, notYet.delay());
    } else if (outcome instanceof Reaped.Retry) {
      queue.addRateLimited(key);
    } else if (outcome instanceof Reaped.Abandoned) {
      // The fence closes when a renewal is late (an API server outage), not only when the lease
      // is lost; then the process exits anyway. Dropping the key here lost it for good: nothing
      // schedules an unchanged Archived workflow again until the next start.
      if (!queue.isShuttingDown()) {
        queue.addRateLimited(key);
      }
    } else {
      throw new AssertionError(outcome);
    }
  }

  /** When a workflow falls due: archived-at, else finishedAt, else now, plus --delete-after. */
  Instant dueAt(String archivedAt, String finishedAt, Instant now) {
    Instant from = parse(archivedAt);
    if (from == null) {
      from = parse(finishedAt);
    }
    return (from == null ? now : from).plus(deleteAfter);
  }

  private static Instant parse(String s) {
    if (s == null || s.isEmpty()) {
      return null;
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** The informers' handler: schedule, nothing else (see {@link KeyEnqueuer} for why). */
  private final class Scheduler extends LatestStateHandler {
    @Override
    public void onDelete(HasMetadata obj, boolean deletedFinalStateUnknown) {
      // Gone, or no longer Archived or selected. A key still waiting is read again when it
      // falls due, and found gone or left alone.
      seen.remove(KeyEnqueuer.keyOf(obj));
    }

    /** Schedules the reap for when {@code obj} falls due. */
    @Override
    protected void onLatest(HasMetadata obj) {
      WorkflowKey key = KeyEnqueuer.keyOf(obj);
      if (obj.getMetadata().getDeletionTimestamp() != null) {
        seen.remove(key);
        return; // being deleted already; see reap
      }
      Map<String, String> annotations = obj.getMetadata().getAnnotations();
      String archivedAt = annotations == null ? null
          : annotations.get(LifecycleApi.ARCHIVED_AT_ANNOTATION);
      String finishedAt = null;
      if (archivedAt == null && obj instanceof GenericKubernetesResource r
          && r.getAdditionalProperties().get("status") instanceof Map<?, ?> status
          && status.get("finishedAt") instanceof String s) {
        finishedAt = s;
      }
      Instant now = clock.instant();
      Instant due = dueAt(archivedAt, finishedAt, now);
      String uid = obj.getMetadata().getUid();
      String resourceVersion = obj.getMetadata().getResourceVersion();
      if (uid != null && resourceVersion != null) {
        seen.put(key, new Seen(uid, resourceVersion, due));
      }
      queue.addAfter(key, Duration.between(now, due));
    }
  }
}
