package dev.archivist.controller.archive;

import dev.archivist.controller.archive.KeyOutcome.Deferred;
import dev.archivist.controller.archive.KeyOutcome.Retry;
import dev.archivist.controller.archive.KeyOutcome.SkipReason;
import dev.archivist.controller.archive.KeyOutcome.Skipped;
import dev.archivist.controller.kube.KubeOutages;
import dev.archivist.controller.kube.WorkflowApi;
import dev.archivist.controller.kube.WorkflowApi.Marking;
import dev.archivist.controller.kube.WorkflowApi.Page;
import dev.archivist.controller.kube.WorkflowApiException;
import dev.archivist.controller.kube.Workflows;
import dev.archivist.controller.metrics.FailureReason;
import dev.archivist.core.LabelSelector;
import dev.archivist.core.WorkflowKey;
import dev.archivist.core.WorkflowLabels;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * The read half of a batch: the latest object of each key a worker holds, with as few requests
 * as it can.
 *
 * <ul>
 *   <li>A key the informers no longer hold needs no request: it left the selector (marked
 *       Archived, deleted, no longer completed) after it was queued.
 *   <li>The keys of a namespace are read with the next LIST page of that namespace
 *       ({@link NamespacePages}, the same server-side selector as the informers, at most one
 *       batch), and the page's other workflows are archived in the same transaction: a backlog
 *       costs one LIST per batch instead of one GET per workflow. Only where pages are enabled
 *       (a real API server; fabric8's mock ignores {@code limit}).
 *   <li>Without pages, or when a page brought nothing this worker could take, a key is read
 *       with a GET.
 * </ul>
 *
 * <p>A page is a snapshot, so a page item is taken only when the informers hold it at the same
 * resourceVersion, it is not in quarantine, and no other worker is reading or writing it: every
 * key read here is <em>claimed</em> in {@code claims} until {@link #release}. A held key that
 * another worker has claimed through its page, or that a page did not bring while pages bring
 * work (for this worker or for others), is {@link Deferred}: it comes back a little later and,
 * once some page archived it, needs no request at all.
 *
 * <p>What a batch reads is bounded by the {@link ReadBudget}: before sending its reads a worker
 * reserves what they will probably weigh (waiting while other workers hold the budget), and the
 * pages ask for fewer workflows when workflows are large. The caller gives the reservation back
 * at the commit ({@link Result#reservation()}), or at {@link #release} at the latest.
 *
 * <p>Thread-safe: workers share one instance; {@code claims} is a concurrent set and the rest is
 * immutable. The queue hands a key to one worker at a time, so only page items can race for a
 * claim.
 */
public final class BatchReader {
  /** What the informers know; null in tests that run without them. */
  public interface Informed {
    /** The resourceVersion the informers hold for {@code key}, or null when they do not. */
    String resourceVersion(WorkflowKey key);

    /** Whether reading by LIST pages is on (the API server honours {@code limit}). */
    boolean pagesEnabled();

    /**
     * Whether {@code key} is being deleted and held by our finalizer ({@code --finalizer}): it
     * is read with a GET, even when the archive informers do not hold it (a running workflow).
     */
    default boolean deleting(WorkflowKey key) {
      return false;
    }
  }

  /** What the archiver does with a workflow read. */
  enum Action {
    /** Write its row, then mark it (and release it, when it holds our finalizer). */
    ARCHIVE,
    /** Being deleted with our finalizer but no longer selected: release it, write nothing. */
    RELEASE,
    /**
     * Being deleted with our finalizer, already labelled Archived: release it if its row exists,
     * else archive it as {@link #ARCHIVE} does (Argo labels some workflows Archived without a
     * row).
     */
    RELEASE_IF_ARCHIVED
  }

  /**
   * A workflow to archive: held by this worker, or taken from a page on another's behalf, as
   * read (its nodes not restored yet), with what the label PATCH needs of it.
   */
  record Read(WorkflowKey key, JsonNode workflow, boolean held, Marking marking, Action action) {
    /** The same read without its tree, once the workflow is a document (or failed). */
    Read withoutWorkflow() {
      return workflow == null ? this : new Read(key, null, held, marking, action);
    }
  }

  /**
   * What {@link #read} found; pass it to {@link #release} when the batch is done. {@code reads}
   * is mutable: the caller empties it once the workflows are made documents, so that the parsed
   * trees are not held through the write.
   */
  record Result(List<Read> reads, List<KeyOutcome> outcomes, List<WorkflowKey> claimed,
      ReadBudget.Reservation reservation) {}

  private final WorkflowApi api;
  private final LabelSelector selector;
  /**
   * {@code selector} without its completed and archiving-status requirements: the instance and
   * {@code --archive-label-selector}, checked on a workflow being deleted with our finalizer.
   */
  private final LabelSelector scope;
  private final Clock clock;
  private final Informed informed;
  private final NamespacePages pages;
  private final int pageSize;
  private final Predicate<WorkflowKey> quarantined;
  private final KubeOutages outages;
  private final ReadBudget budget;
  private final Set<WorkflowKey> claims = ConcurrentHashMap.newKeySet();

  /**
   * @param selector the archive candidates' selector: checked on every object read
   * @param listSelector the same selector in the API server's syntax, for the pages
   * @param informed null to read every key with a GET
   * @param budget bounds the bytes read and not yet committed, across the workers
   */
  BatchReader(WorkflowApi api, LabelSelector selector, String listSelector, Clock clock,
      Informed informed, int pageSize, Predicate<WorkflowKey> quarantined, KubeOutages outages,
      ReadBudget budget) {
    this.budget = Objects.requireNonNull(budget, "budget");
    this.outages = Objects.requireNonNull(outages, "outages");
    this.api = Objects.requireNonNull(api, "api");
    this.selector = Objects.requireNonNull(selector, "selector");
    this.scope = LabelSelector.of(selector.requirements().stream()
        .filter(r -> !r.key().equals(WorkflowLabels.COMPLETED)
            && !r.key().equals(WorkflowLabels.ARCHIVING_STATUS))
        .toList());
    this.clock = Objects.requireNonNull(clock, "clock");
    this.informed = informed;
    this.pageSize = pageSize;
    this.quarantined = Objects.requireNonNull(quarantined, "quarantined");
    this.pages = new NamespacePages((ns, limit, token) ->
        api.list(ns, listSelector, limit, token));
  }

  /** A reader that GETs every key, as in tests without informers. */
  static BatchReader getOnly(WorkflowApi api, LabelSelector selector, Clock clock,
      KubeOutages outages) {
    return new BatchReader(api, selector, selector.toString(), clock, null, 1, k -> false,
        outages, ReadBudget.unbounded());
  }

  /**
   * Reads the keys a worker holds (and, by pages, what else is due in their namespaces).
   *
   * @throws InterruptedException while waiting for the budget or for another worker's page of the
   *     same namespace; nothing stays claimed or reserved then
   */
  Result read(List<WorkflowKey> held) throws InterruptedException {
    List<Read> reads = new ArrayList<>(held.size());
    List<KeyOutcome> outcomes = new ArrayList<>();
    List<WorkflowKey> claimed = new ArrayList<>(held.size());
    Map<String, List<WorkflowKey>> byNamespace = new LinkedHashMap<>();
    // Being deleted with our finalizer: a GET each, in any state and without waiting for a page.
    List<WorkflowKey> direct = new ArrayList<>();
    for (WorkflowKey key : held) {
      if (!claims.add(key)) {
        outcomes.add(new Deferred(key));
        continue;
      }
      claimed.add(key);
      if (deleting(key)) {
        direct.add(key);
        continue;
      }
      if (informed != null && informed.resourceVersion(key) == null) {
        outcomes.add(new Skipped(key, SkipReason.LEFT_INFORMER));
        continue;
      }
      byNamespace.computeIfAbsent(key.namespace(), ns -> new ArrayList<>()).add(key);
    }
    boolean paged = informed != null && informed.pagesEnabled();
    int pageLimit = budget.pageLimit(pageSize, byNamespace.size());
    long expected = 0;
    for (List<WorkflowKey> keys : byNamespace.values()) {
      expected += (long) (paged ? pageLimit : keys.size()) * budget.average();
    }
    expected += (long) direct.size() * budget.average();
    ReadBudget.Reservation reservation;
    try {
      // Holding keys only while waiting: the workflows are read once the budget allows.
      reservation = budget.reserve(expected);
    } catch (InterruptedException e) {
      claimed.forEach(claims::remove);
      throw e;
    }
    Result result = new Result(reads, outcomes, claimed, reservation);
    boolean done = false;
    try {
      for (WorkflowKey key : direct) {
        get(key, result);
      }
      for (Map.Entry<String, List<WorkflowKey>> group : byNamespace.entrySet()) {
        List<WorkflowKey> keys = group.getValue();
        if (paged) {
          readPage(group.getKey(), keys, pageLimit, result);
        } else {
          for (WorkflowKey key : keys) {
            get(key, result);
          }
        }
      }
      done = true;
      return result;
    } finally {
      if (!done) {
        release(result);
      }
    }
  }

  /** Whether {@code key} is being deleted and held by our finalizer, as the informers saw it. */
  boolean deleting(WorkflowKey key) {
    return informed != null && informed.deleting(key);
  }

  /**
   * Ends the claims of a batch, and its reservation if the caller did not end it at the commit;
   * the caller must call it once the batch is done.
   */
  void release(Result result) {
    result.reservation().release();
    result.claimed().forEach(claims::remove);
  }

  /**
   * Feeds the budget's average with the documents a batch made, and holds what they really
   * weigh until the commit (a corrected estimate).
   */
  void weighed(Result result, long bytes, int count) {
    budget.observe(bytes, count);
    result.reservation().resize(bytes);
  }

  private void readPage(String namespace, List<WorkflowKey> keys, int limit, Result result)
      throws InterruptedException {
    Page page;
    try {
      page = pages.next(namespace, limit);
    } catch (WorkflowApiException e) {
      FailureReason reason = failed(e);
      for (WorkflowKey key : keys) {
        result.outcomes().add(new Retry(key, reason, e.getMessage()));
      }
      return;
    }
    outages.succeeded();
    Set<WorkflowKey> covered = new HashSet<>();
    Set<WorkflowKey> mine = new HashSet<>(keys);
    boolean othersAtWork = false;
    for (JsonNode item : page.items()) {
      JsonNode meta = item.path("metadata");
      WorkflowKey key = new WorkflowKey(meta.path("namespace").asString(namespace),
          meta.path("name").asString(""));
      // A page continues a snapshot: take an item only as fresh as the informers know it.
      String rv = informed.resourceVersion(key);
      boolean fresh = rv != null && rv.equals(meta.path("resourceVersion").asString(""));
      if (mine.contains(key)) {
        if (fresh) {
          covered.add(key);
          KeyOutcome early = check(key, item, true, result.reads());
          if (early != null) {
            result.outcomes().add(early);
          }
        }
        continue;
      }
      if (!fresh || quarantined.test(key)) {
        continue;
      }
      if (!claims.add(key)) {
        othersAtWork = true;
        continue;
      }
      result.claimed().add(key);
      check(key, item, false, result.reads());
    }
    // A held key the page did not bring: while pages bring work, for this worker or for others
    // (items other workers have claimed), a later page (this pass or the next, which starts from
    // the beginning) brings it, so it waits instead of costing a GET. Only a page with nothing
    // fresh on it at all sends the held keys to a GET.
    boolean progress = !covered.isEmpty() || othersAtWork
        || result.reads().stream().anyMatch(r -> !r.held());
    for (WorkflowKey key : keys) {
      if (covered.contains(key)) {
        continue;
      }
      if (progress) {
        claims.remove(key);
        result.claimed().remove(key);
        result.outcomes().add(new Deferred(key));
      } else {
        get(key, result);
      }
    }
  }

  private void get(WorkflowKey key, Result result) {
    Optional<JsonNode> found;
    try {
      found = api.get(key);
    } catch (WorkflowApiException e) {
      result.outcomes().add(new Retry(key, failed(e), e.getMessage()));
      return;
    }
    outages.succeeded();
    if (found.isEmpty()) {
      result.outcomes().add(new Skipped(key, SkipReason.GONE));
      return;
    }
    KeyOutcome early = check(key, found.get(), true, result.reads());
    if (early != null) {
      result.outcomes().add(early);
    }
  }

  /** An outage is reported, and never held against the workflow; anything else is a GET's. */
  private FailureReason failed(WorkflowApiException e) {
    if (KubeOutages.isOutage(e.code())) {
      outages.failed(e.code(), e.getMessage());
      return FailureReason.KUBE_UNAVAILABLE;
    }
    return FailureReason.KUBE_GET;
  }

  /**
   * Checks one object and adds it to {@code reads} when it is to be archived; else returns its
   * outcome (dropped by the caller for a page item that is not held).
   */
  private KeyOutcome check(WorkflowKey key, JsonNode workflow, boolean held, List<Read> reads) {
    Map<String, String> labels = Workflows.labels(workflow);
    Marking marking = Marking.of(workflow);
    if (marking.deleting()) {
      // Deleted before it was archived, held by our finalizer: archived as it is now, running or
      // not, then released; released at once when it is no longer ours to archive.
      Action action = !scope.matches(labels) ? Action.RELEASE
          : WorkflowLabels.STATUS_ARCHIVED.equals(labels.get(WorkflowLabels.ARCHIVING_STATUS))
              ? Action.RELEASE_IF_ARCHIVED : Action.ARCHIVE;
      reads.add(new Read(key, workflow, held, marking, action));
      return null;
    }
    if (!"true".equals(labels.get(WorkflowLabels.COMPLETED))) {
      return new Skipped(key, SkipReason.NOT_COMPLETED);
    }
    if (WorkflowLabels.STATUS_ARCHIVED.equals(labels.get(WorkflowLabels.ARCHIVING_STATUS))) {
      return new Skipped(key, SkipReason.ALREADY_ARCHIVED);
    }
    if (!selector.matches(labels)) {
      return new Skipped(key, SkipReason.NOT_SELECTED);
    }
    // Made into a document only after its nodes are restored (WorkflowPreparer), which is
    // also where a malformed object fails.
    reads.add(new Read(key, workflow, held, marking, Action.ARCHIVE));
    return null;
  }
}
