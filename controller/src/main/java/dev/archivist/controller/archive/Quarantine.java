package dev.archivist.controller.archive;

import dev.archivist.controller.kube.LifecycleApi;
import dev.archivist.controller.kube.WorkflowApi;
import dev.archivist.controller.kube.WorkflowApi.MarkResult;
import dev.archivist.controller.kube.WorkflowApi.Marking;
import dev.archivist.controller.kube.WorkflowApiException;
import dev.archivist.controller.metrics.FailureReason;
import dev.archivist.controller.metrics.LifecycleMetrics;
import dev.archivist.core.WorkflowKey;
import dev.archivist.store.ArchiveStoreException;
import dev.archivist.store.QuarantineEntry;
import dev.archivist.store.QuarantineLog;
import dev.archivist.workqueue.RateLimitingQueue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Quarantine: a workflow that failed {@code --max-retries} times for a reason of its own is no
 * longer retried with exponential backoff, but once every {@code --quarantine-retry-period},
 * scheduled with the archive queue's {@code addAfter} (no thread or timer per workflow). It stays
 * visible three ways: the {@value LifecycleApi#QUARANTINE_ANNOTATION} annotation on the workflow,
 * a row in {@code archivist_quarantine}, and {@code archivist_workflows_quarantined_total}. It is
 * never labelled Archived or Persisted while in quarantine, so Argo's GC never takes it for done,
 * and {@code --delete-after} never deletes it. It leaves quarantine when an attempt succeeds, when
 * it turns out to need no archiving (skipped), or when it is gone.
 *
 * <h2>Which failures count</h2>
 * Only the ones that belong to the workflow: {@code rejected} (the database refused its row),
 * {@code malformed}, {@code kube_patch} and {@code internal}. A batch the database did not commit
 * ({@code database}) or a GET that failed ({@code kube_get}) says the database or API server is
 * down, and quarantining everything during an outage would delay the recovery by a whole period;
 * those retry at the capped backoff forever. They do count in the attempt number once a workflow
 * fails for its own reason.
 *
 * <h2>State and threads</h2>
 * {@code entries} maps each quarantined key to what is known of it. Workers call every method; the
 * archive queue hands a key to one worker at a time, so the calls for one key never overlap, and
 * the concurrent map makes each entry visible to the next worker that takes the key. No lock is
 * held while the store or the API server is called. {@link #load} runs before any worker starts.
 * The map is rebuilt from the database when the controller starts (or takes the lease), so a
 * restart neither forgets a quarantine nor restarts its count.
 *
 * <h2>Deletion</h2>
 * A quarantined workflow being deleted while it holds our finalizer ({@code --finalizer}) is not
 * held forever: {@link #admit} lets its key through at once, and if that attempt fails too, its
 * entry is recorded with {@link #RELEASED_AT_DELETION} and the workflow is released (see
 * {@code releaseAtDeletion}). Its row stays as the record of a workflow lost to the archive.
 *
 * <p>Between two scheduled attempts, events still add the key (our own annotation PATCH is one);
 * {@link #admit} sends such early arrivals back to wait, so the slow period holds.
 */
public final class Quarantine {
  private static final Logger log = LoggerFactory.getLogger(Quarantine.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * Begins the last error of a quarantine row whose workflow was released at its deletion: the
   * row is the record of a workflow lost to the archive, not one to retry.
   */
  public static final String RELEASED_AT_DELETION = "released at deletion, not archived: ";

  /** What is known of one quarantined workflow; {@code uid} is null when it could not be read. */
  public record Entry(String uid, int attempts, Instant since, Instant lastFailedAt,
      String lastError) {}

  private final RateLimitingQueue<WorkflowKey> queue;
  private final WorkflowApi api;
  private final LifecycleApi lifecycleApi;
  /** Null when the store keeps no quarantine log. */
  private final QuarantineLog quarantineLog;
  private final int maxRetries;
  private final Duration period;
  private final Clock clock;
  private final BooleanSupplier fence;
  private final LifecycleMetrics metrics;
  private final Map<WorkflowKey, Entry> entries = new ConcurrentHashMap<>();
  private final Predicate<WorkflowKey> departureCounted;
  private final Runnable countLost;

  public Quarantine(RateLimitingQueue<WorkflowKey> queue, WorkflowApi api,
      LifecycleApi lifecycleApi, QuarantineLog quarantineLog, int maxRetries, Duration period,
      Clock clock, BooleanSupplier fence, LifecycleMetrics metrics) {
    this(queue, api, lifecycleApi, quarantineLog, maxRetries, period, clock, fence, metrics,
        key -> true, () -> { });
  }

  /**
   * @param departureCounted whether the loss of a workflow released at its deletion without a
   *     row is counted when it departs the archive informers; asked before the release
   * @param countLost counts one such workflow lost, when {@code departureCounted} said no
   */
  public Quarantine(RateLimitingQueue<WorkflowKey> queue, WorkflowApi api,
      LifecycleApi lifecycleApi, QuarantineLog quarantineLog, int maxRetries, Duration period,
      Clock clock, BooleanSupplier fence, LifecycleMetrics metrics,
      Predicate<WorkflowKey> departureCounted, Runnable countLost) {
    this.departureCounted = Objects.requireNonNull(departureCounted, "departureCounted");
    this.countLost = Objects.requireNonNull(countLost, "countLost");
    this.queue = Objects.requireNonNull(queue, "queue");
    this.api = Objects.requireNonNull(api, "api");
    this.lifecycleApi = Objects.requireNonNull(lifecycleApi, "lifecycleApi");
    this.quarantineLog = quarantineLog;
    this.maxRetries = maxRetries;
    this.period = Objects.requireNonNull(period, "period");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.fence = Objects.requireNonNull(fence, "fence");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /**
   * Reloads what the archive database remembers, before the workers start. A database that does
   * not answer is logged and skipped: such workflows then go through {@code --max-retries} again.
   */
  public void load() {
    if (quarantineLog == null) {
      return;
    }
    List<QuarantineEntry> rows;
    try {
      rows = quarantineLog.list();
    } catch (ArchiveStoreException e) {
      log.warn("quarantine: could not read archivist_quarantine at start; quarantined workflows "
          + "go through --max-retries again: {}", e.getMessage());
      return;
    }
    for (QuarantineEntry row : rows) {
      if (row.lastError().startsWith(RELEASED_AT_DELETION)) {
        continue; // a record of a workflow that is gone, not one to retry
      }
      entries.put(new WorkflowKey(row.namespace(), row.name()), new Entry(row.uid(),
          row.attempts(), row.firstFailedAt(), row.lastFailedAt(), row.lastError()));
    }
    if (!rows.isEmpty()) {
      log.info("quarantine: {} workflows are in quarantine; each is retried every {}",
          rows.size(), period);
    }
  }

  /**
   * Filters a batch before it is attempted: a quarantined key whose next attempt is not due yet
   * is scheduled for then ({@code addAfter}, which keeps the earlier deadline) and left out.
   *
   * @return the keys to attempt now, in order
   */
  List<WorkflowKey> admit(List<WorkflowKey> batch) {
    return admit(batch, key -> false);
  }

  /**
   * {@link #admit(List)}, letting through at once the keys {@code deleting} names: a workflow
   * being deleted with our finalizer must not wait a whole period to be released.
   */
  List<WorkflowKey> admit(List<WorkflowKey> batch, Predicate<WorkflowKey> deleting) {
    if (entries.isEmpty()) {
      return batch;
    }
    Instant now = clock.instant();
    List<WorkflowKey> due = new ArrayList<>(batch.size());
    for (WorkflowKey key : batch) {
      Entry e = entries.get(key);
      Duration wait = e == null || deleting.test(key) ? Duration.ZERO
          : Duration.between(now, e.lastFailedAt().plus(period));
      if (wait.isNegative() || wait.isZero()) {
        due.add(key);
      } else {
        queue.addAfter(key, wait);
      }
    }
    return due;
  }

  /** Whether {@code key} is in quarantine: a LIST page must not archive it early. */
  boolean holds(WorkflowKey key) {
    return entries.containsKey(key);
  }

  /**
   * A failed attempt. Enters or updates quarantine when the key is quarantined already, or when
   * this failure is the workflow's own and the {@code --max-retries}th; then records it and
   * schedules the next attempt one period ahead.
   *
   * @param failuresBefore the key's failures before this one ({@code numRequeues})
   * @return true when quarantine took care of the key's next attempt; false when the caller
   *     retries it with backoff as usual
   */
  boolean failed(WorkflowKey key, FailureReason reason, String detail, int failuresBefore) {
    Entry prior = entries.get(key);
    if (prior == null && (!countsTowardsQuarantine(reason) || failuresBefore + 1 < maxRetries)) {
      return false;
    }
    Found found = read(key);
    if (found.gone() && prior != null) {
      leave(key, "it no longer exists");
      return true;
    }
    Instant now = clock.instant();
    // Unreadable (or no uid): keep what we knew, or start without a uid and record next time.
    String uidNow = found.uid() != null ? found.uid() : prior == null ? null : prior.uid();
    if (prior != null && uidNow != null && prior.uid() != null && !prior.uid().equals(uidNow)) {
      // The quarantined workflow was replaced by a new one under its name; this failure is the
      // new one's, which starts with the usual backoff.
      leave(key, "its name now belongs to a newer workflow");
      queue.forget(key);
      return false;
    }
    int attempts = prior == null ? failuresBefore + 1 : prior.attempts() + 1;
    Entry entry = new Entry(uidNow, attempts, prior == null ? now : prior.since(), now,
        reason.label() + ": " + detail);
    entries.put(key, entry);
    if (prior == null) {
      metrics.quarantined();
      log.warn("quarantine: {} (uid {}) quarantined after {} failed attempts; retrying every {}. "
          + "Last error ({}): {}", key, uidNow, attempts, period, reason.label(), detail);
    } else {
      log.info("quarantine: {} failed again (attempt {}), next attempt in {}: {}", key, attempts,
          period, detail);
    }
    if (found.marking() != null && found.marking().deleting()) {
      return releaseAtDeletion(key, entry, found.marking());
    }
    record(key, entry);
    // numRequeues is not forgotten: it keeps saying "failing" while the key waits in quarantine.
    queue.addAfter(key, period);
    return true;
  }

  /**
   * The key was archived or needs no archiving: if it was quarantined, its row and annotation
   * go, and it is counted out of the gauge.
   */
  void leave(WorkflowKey key, String why) {
    Entry prior = entries.remove(key);
    if (prior == null) {
      return;
    }
    log.info("quarantine: {} (uid {}) left quarantine after {} attempts: {}", key, prior.uid(),
        prior.attempts(), why);
    if (prior.uid() == null || !fence.getAsBoolean()) {
      return;
    }
    // A boundary: cleaning up must not fail the worker. A row left behind is cleared on the next
    // start (load, then leave), an annotation left behind on an Archived workflow is harmless.
    if (quarantineLog != null) {
      try {
        quarantineLog.clear(prior.uid());
      } catch (ArchiveStoreException e) {
        log.warn("quarantine: could not clear the row of {} (uid {}): {}", key, prior.uid(),
            e.getMessage());
      }
    }
    try {
      lifecycleApi.removeQuarantineAnnotation(key, prior.uid());
    } catch (WorkflowApiException e) {
      log.warn("quarantine: could not remove the annotation of {}: {}", key, e.getMessage());
    }
  }

  /**
   * A quarantined workflow that is being deleted, held by our finalizer: its entry is recorded
   * in {@code archivist_quarantine} (with {@value #RELEASED_AT_DELETION} before its last error)
   * and then it is released, so that a workflow Archivist cannot archive never blocks a
   * deletion. It leaves the in-memory quarantine but its row stays, as the record of a workflow
   * that is lost to the archive; {@link #load} skips such rows.
   *
   * @return false when it could not be recorded or released now: the caller retries with
   *     backoff, and the next failure comes back here
   */
  private boolean releaseAtDeletion(WorkflowKey key, Entry entry, Marking marking) {
    if (!fence.getAsBoolean()) {
      return false;
    }
    Entry released = new Entry(entry.uid(), entry.attempts(), entry.since(),
        entry.lastFailedAt(), RELEASED_AT_DELETION + entry.lastError());
    if (quarantineLog != null) {
      try {
        quarantineLog.record(new QuarantineEntry(released.uid(), key.namespace(), key.name(),
            released.attempts(), released.lastError(), released.since(),
            released.lastFailedAt()));
      } catch (ArchiveStoreException e) {
        log.warn("quarantine: {} is being deleted, but its entry could not be recorded, so it "
            + "is not released yet: {}", key, e.getMessage());
        return false;
      }
    }
    // Asked before the release: once released, the workflow may depart at any moment.
    boolean counted = departureCounted.test(key);
    MarkResult result;
    try {
      result = api.markArchived(key, marking);
    } catch (WorkflowApiException e) {
      log.warn("quarantine: {} is being deleted, but could not be released yet: {}", key,
          e.getMessage());
      return false;
    }
    if (result == MarkResult.CHANGED) {
      return false; // its finalizers changed since the read: read it again
    }
    entries.remove(key);
    queue.forget(key);
    log.warn("quarantine: {} (uid {}) was deleted while in quarantine and is released without "
        + "an archived row: it is lost to the archive. Its entry stays in archivist_quarantine "
        + "(archivist quarantine). Last error: {}", key, entry.uid(), entry.lastError());
    if (!counted) {
      countLost.run();
    }
    return true;
  }

  /** How many workflows are in quarantine now. */
  public int size() {
    return entries.size();
  }

  /** The entry of {@code key}, for tests. */
  public Entry entry(WorkflowKey key) {
    return entries.get(key);
  }

  static boolean countsTowardsQuarantine(FailureReason reason) {
    return switch (reason) {
      case REJECTED, MALFORMED, NODES_UNAVAILABLE, KUBE_PATCH, INTERNAL -> true;
      case DATABASE, KUBE_GET, KUBE_UNAVAILABLE -> false;
    };
  }

  /** The annotation's value: attempts, last error, since and last attempt. */
  static String annotation(Entry e) {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("attempts", e.attempts());
    value.put("lastError", e.lastError());
    value.put("since", e.since().toString());
    value.put("lastAttempt", e.lastFailedAt().toString());
    return JSON.writeValueAsString(value);
  }

  /**
   * What a GET found: {@code gone}, or the uid ({@code null} when unreadable or absent) and
   * what a release of it needs ({@code null} when unreadable).
   */
  private record Found(boolean gone, String uid, Marking marking) {}

  private Found read(WorkflowKey key) {
    Optional<JsonNode> wf;
    try {
      wf = api.get(key);
    } catch (WorkflowApiException e) {
      return new Found(false, null, null);
    }
    if (wf.isEmpty()) {
      return new Found(true, null, null);
    }
    String uid = wf.get().path("metadata").path("uid").asString("");
    return new Found(false, uid.isEmpty() ? null : uid, Marking.of(wf.get()));
  }

  /**
   * Writes the entry to the database and the annotation, while this instance may write. A
   * boundary: a failed record is logged and tried again at the next attempt; the in-memory entry
   * already governs the schedule.
   */
  private void record(WorkflowKey key, Entry e) {
    if (e.uid() == null || !fence.getAsBoolean()) {
      return;
    }
    if (quarantineLog != null) {
      try {
        quarantineLog.record(new QuarantineEntry(e.uid(), key.namespace(), key.name(),
            e.attempts(), e.lastError(), e.since(), e.lastFailedAt()));
      } catch (ArchiveStoreException ex) {
        log.warn("quarantine: could not record {} in archivist_quarantine: {}", key,
            ex.getMessage());
      }
    }
    if (!fence.getAsBoolean()) {
      return;
    }
    try {
      lifecycleApi.annotateQuarantine(key, e.uid(), annotation(e));
    } catch (WorkflowApiException ex) {
      log.warn("quarantine: could not annotate {}: {}", key, ex.getMessage());
    }
  }
}
