package dev.archivist.controller.archive;

import dev.archivist.controller.archive.KeyOutcome.Abandoned;
import dev.archivist.controller.archive.KeyOutcome.Archived;
import dev.archivist.controller.archive.KeyOutcome.Retry;
import dev.archivist.controller.archive.KeyOutcome.SkipReason;
import dev.archivist.controller.archive.KeyOutcome.Skipped;
import dev.archivist.controller.kube.KubeOutages;
import dev.archivist.controller.kube.WorkflowApi;
import dev.archivist.controller.kube.WorkflowApi.MarkResult;
import dev.archivist.controller.kube.WorkflowApi.Marking;
import dev.archivist.controller.kube.WorkflowApiException;
import dev.archivist.controller.metrics.ControllerMetrics;
import dev.archivist.controller.metrics.FailureReason;
import dev.archivist.core.LabelSelector;
import dev.archivist.core.WorkflowKey;
import dev.archivist.store.ArchiveStore;
import dev.archivist.store.ArchiveStoreException;
import dev.archivist.store.BatchResult;
import dev.archivist.store.WorkflowDocument;
import dev.archivist.store.argo.NodeRestorer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt at a batch of keys, from the API server to the archive and back:
 *
 * <ol>
 *   <li>take one archive token per key held;
 *   <li>read the latest objects ({@link BatchReader}: nothing for keys the informers dropped,
 *       one LIST page for several keys of a namespace, else a GET each); skip what is gone, not
 *       completed, already Archived or not selected; a malformed one fails alone;
 *   <li>take one more token per workflow a page brought on another key's behalf, then
 *       {@link ArchiveStore#archive} in one transaction;
 *   <li>only for rows reported {@code Written}: PATCH the Archived label (a JSON Patch that first
 *       tests the uid and the completed label). A row {@code Superseded} by a later completion
 *       in the archive is neither labelled nor counted against the key: it is read again.
 * </ol>
 *
 * <p>With our finalizer ({@code --finalizer}), the PATCH of step 4 also removes it. A workflow
 * being deleted that holds it is archived as it is, running or not, and the PATCH only removes
 * the finalizer; one that is no longer selected, or labelled Archived with its row in the
 * archive, is released without a write ({@link KeyOutcome.SkipReason#RELEASED}).
 *
 * <p>A row committed whose PATCH then met an outage is remembered in {@code unmarked}, and so is
 * a release without a row: the next attempt of that key sends the PATCH alone, without reading
 * or writing the workflow again, and a release stays a release (not counted as archived).
 *
 * <p>It decides outcomes and touches no queue. Several workers share one instance; its state is
 * an atomic flag that keeps a database outage from flooding the log, the concurrent
 * {@code unmarked} map (a key is held by one worker at a time), and the reader's claims.
 *
 * <p>Invariant: a key's outcome is {@link Archived} only if its row was committed (in this
 * attempt, or in an earlier one whose PATCH failed) and the label was set afterwards (or the
 * workflow was gone or replaced by then). A crash at any point leaves the workflow unlabelled and
 * still selected by the informer, so it is tried again.
 */
public final class BatchArchiver {
  private static final Logger log = LoggerFactory.getLogger(BatchArchiver.class);

  private final WorkflowApi api;
  private final ArchiveStore store;
  private final ArchiveTokens tokens;
  private final BatchReader reader;
  private final ControllerMetrics metrics;
  private final Clock clock;
  private final DatabaseGate gate;
  private final KubeOutages outages;
  private final WorkflowPreparer preparer;
  /** False once this instance may no longer write (it lost the lease); checked before each. */
  private final BooleanSupplier fence;
  /**
   * Whether the last batch failed to commit. While the database is down every batch fails, so
   * only the first failure and the recovery are logged at WARN/INFO, the rest at DEBUG.
   */
  private final AtomicBoolean databaseFailing = new AtomicBoolean();
  /** Keys whose row is committed but whose label PATCH failed for an outage, and their mark. */
  private final Map<WorkflowKey, Unmarked> unmarked = new ConcurrentHashMap<>();

  BatchArchiver(WorkflowApi api, ArchiveStore store, ArchiveTokens tokens, LabelSelector selector,
      ControllerMetrics metrics, Clock clock) {
    this(api, store, tokens, BatchReader.getOnly(api, selector, clock, KubeOutages.ignored()),
        metrics, clock, () -> true, DatabaseGate.never(), KubeOutages.ignored(),
        workflows -> WorkflowPreparer.defaultRestorer(store).restore(workflows));
  }

  BatchArchiver(WorkflowApi api, ArchiveStore store, ArchiveTokens tokens, BatchReader reader,
      ControllerMetrics metrics, Clock clock, BooleanSupplier fence, DatabaseGate gate,
      KubeOutages outages, NodeRestorer nodes) {
    this.preparer = new WorkflowPreparer(nodes, clock);
    this.fence = Objects.requireNonNull(fence, "fence");
    this.api = Objects.requireNonNull(api, "api");
    this.store = Objects.requireNonNull(store, "store");
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.reader = Objects.requireNonNull(reader, "reader");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.gate = Objects.requireNonNull(gate, "gate");
    this.outages = Objects.requireNonNull(outages, "outages");
  }

  /**
   * The production archiver: reads by pages where {@code informed} enables them, holds the
   * workers on {@code gate} during a database outage, and reports API outages to
   * {@code outages}.
   *
   * @param selector the archive candidates, checked on every object read
   * @param listSelector the same in the API server's syntax, for the LIST pages
   * @param pageSize at most this many workflows per page: the batch size
   * @param readBudget bytes of workflows that may be between read and commit at once, across
   *     the workers (see {@link ReadBudget})
   * @param nodes puts back the nodes Argo moved out of large workflows, before each write
   */
  public static BatchArchiver create(WorkflowApi api, ArchiveStore store, ArchiveTokens tokens,
      LabelSelector selector, String listSelector, BatchReader.Informed informed, int pageSize,
      long readBudget, Quarantine quarantine, ControllerMetrics metrics, Clock clock,
      BooleanSupplier fence, DatabaseGate gate, KubeOutages outages, NodeRestorer nodes) {
    BatchReader reader = new BatchReader(api, selector, listSelector, clock, informed, pageSize,
        quarantine::holds, outages, new ReadBudget(readBudget));
    return new BatchArchiver(api, store, tokens, reader, metrics, clock, fence, gate, outages,
        nodes);
  }

  /**
   * The read budget for a JVM whose heap may grow to {@code maxHeapBytes} (see
   * {@link ReadBudget#forHeap}).
   */
  public static long readBudgetFor(long maxHeapBytes) {
    return ReadBudget.forHeap(maxHeapBytes).capacity();
  }

  /** Where the API server's outages are reported. */
  public KubeOutages outages() {
    return outages;
  }

  /** The gate the workers wait on before each batch. */
  public DatabaseGate gate() {
    return gate;
  }

  /**
   * Attempts every key once.
   *
   * @return one outcome per key held, in no particular order, plus an {@link Archived} outcome
   *     for each workflow a page brought on another key's behalf and archived
   */
  List<KeyOutcome> archive(List<WorkflowKey> keys) {
    List<KeyOutcome> outcomes = new ArrayList<>(keys.size());
    // Tokens first, objects second: a worker waiting on the archive rate holds keys only, so a
    // throttled archive costs no heap per waiting workflow. The price is that a key which turns
    // out to be skipped (gone, already archived) spends its token.
    try {
      tokens.take(keys.size());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      keys.forEach(k -> outcomes.add(new Abandoned(k)));
      return outcomes;
    }
    List<WorkflowKey> toRead = new ArrayList<>(keys.size());
    for (WorkflowKey key : keys) {
      Unmarked earlier = unmarked.get(key);
      if (earlier == null) {
        toRead.add(key);
      } else {
        // Committed (or released) in an earlier attempt: only the PATCH is missing.
        outcomes.add(mark(key, earlier.marking(), earlier.release()));
      }
    }
    if (toRead.isEmpty()) {
      return outcomes;
    }
    BatchReader.Result read;
    try {
      read = reader.read(toRead);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      toRead.forEach(k -> outcomes.add(new Abandoned(k)));
      return outcomes;
    }
    try {
      outcomes.addAll(read.outcomes());
      write(read, outcomes);
    } finally {
      reader.release(read);
    }
    return outcomes;
  }

  /**
   * Writes what was read, then marks it. What a batch holds of the workflows is let go as soon as
   * it is no longer needed: the parsed trees once the documents are made, the documents (and the
   * read budget) at the commit, so that the label PATCHes, the slow part under
   * {@code --kube-qps}, hold no workflow.
   *
   * <p>The trees live in the batch's own list, {@code read.reads()}, which the caller keeps until
   * the batch ends (after the PATCHes): every step works on that list in place, and nothing copies
   * it, since a copy would leave the trees in the original through the PATCHes, outside the read
   * budget (workers x batch x tree size).
   */
  private void write(BatchReader.Result read, List<KeyOutcome> outcomes) {
    List<BatchReader.Read> reads = read.reads();
    if (reads.isEmpty()) {
      return;
    }
    int extra = (int) reads.stream().filter(r -> !r.held()).count();
    if (extra > 0) {
      try {
        tokens.take(extra);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        reads.stream().filter(BatchReader.Read::held)
            .forEach(r -> outcomes.add(new Abandoned(r.key())));
        return;
      }
    }
    if (!fence.getAsBoolean()) {
      reads.stream().filter(BatchReader.Read::held)
          .forEach(r -> outcomes.add(new Abandoned(r.key())));
      return;
    }
    releaseWhatNeedsNoRow(reads, outcomes);
    if (reads.isEmpty()) {
      return;
    }
    // Nodes restored first: a workflow whose nodes are unavailable is never written, so never
    // marked or deleted.
    WorkflowPreparer.Result prepared;
    Instant start = clock.instant();
    try {
      prepared = preparer.prepare(reads);
    } catch (ArchiveStoreException e) {
      databaseFailed(e, reads, outcomes, start);
      return;
    }
    outcomes.addAll(prepared.failed());
    reads.clear(); // read.reads(), the parsed trees: the documents are all the write needs
    List<WorkflowPreparer.Prepared> ready = prepared.ready();
    if (ready.isEmpty()) {
      return;
    }
    List<WorkflowDocument> docs = new ArrayList<>(ready.size());
    long bytes = 0;
    for (WorkflowPreparer.Prepared p : ready) {
      docs.add(p.doc());
      bytes += p.doc().json().length();
    }
    reader.weighed(read, bytes, docs.size());
    BatchResult result;
    try {
      result = store.archive(docs);
    } catch (ArchiveStoreException e) {
      databaseFailed(e, ready.stream().map(WorkflowPreparer.Prepared::read).toList(), outcomes,
          start);
      return;
    }
    Instant committed = clock.instant();
    // Committed: the PATCHes below need the keys and markings only.
    List<Instant> finished = new ArrayList<>(docs.size());
    docs.forEach(d -> finished.add(d.finishedAt()));
    List<BatchReader.Read> written = new ArrayList<>(ready.size());
    ready.forEach(p -> written.add(p.read()));
    docs.clear();
    ready = null;
    prepared = null;
    read.reservation().release();
    metrics.batch(Duration.between(start, committed));
    if (databaseFailing.compareAndSet(true, false)) {
      log.info("archive controller: the archive database commits again");
    }

    List<BatchResult.RowOutcome> rows = result.outcomes();
    if (rows.size() != written.size()) {
      throw new IllegalStateException("archive store returned " + rows.size()
          + " outcomes for a batch of " + written.size());
    }
    for (int i = 0; i < rows.size(); i++) {
      BatchReader.Read r = written.get(i);
      BatchResult.RowOutcome row = rows.get(i);
      if (row instanceof BatchResult.Rejected rejected) {
        if (r.held()) {
          outcomes.add(new Retry(r.key(), FailureReason.REJECTED, "row for uid "
              + rejected.uid() + " rejected by the database (SQL state " + rejected.sqlState()
              + "): " + rejected.reason()));
        }
        continue; // a page item's own key retries it with its own count
      }
      if (row instanceof BatchResult.Superseded) {
        // Another writer (a leader before or after us) archived a later completion of this
        // workflow than the one read: the row stays, and a fresh read decides, unlabelled.
        log.info("archive controller: {} (uid {}) not written: the archive already holds a later"
            + " completion of it than the one read; reading it again", r.key(), row.uid());
        if (r.held()) {
          outcomes.add(new KeyOutcome.Deferred(r.key()));
        }
        continue;
      }
      metrics.lag(nonNegative(Duration.between(finished.get(i), committed)));
      KeyOutcome marked = mark(r.key(), r.marking(), false);
      if (r.held() || marked instanceof Archived) {
        outcomes.add(marked);
      }
    }
  }

  /**
   * Releases the workflows being deleted that need no row written: no longer selected, or
   * labelled Archived with their row in the archive (same uid). Removes them (and those whose
   * row could not be looked up) from {@code reads}, in place, leaving the reads to write.
   */
  private void releaseWhatNeedsNoRow(List<BatchReader.Read> reads, List<KeyOutcome> outcomes) {
    for (Iterator<BatchReader.Read> it = reads.iterator(); it.hasNext(); ) {
      BatchReader.Read r = it.next();
      boolean release = r.action() == BatchReader.Action.RELEASE;
      if (r.action() == BatchReader.Action.RELEASE_IF_ARCHIVED) {
        try {
          release = store.exists(r.marking().uid());
        } catch (ArchiveStoreException e) {
          it.remove();
          databaseFailed(e, List.of(r), outcomes, clock.instant());
          continue;
        }
      }
      if (!release) {
        continue;
      }
      it.remove();
      KeyOutcome released = mark(r.key(), r.marking(), true);
      if (released instanceof Skipped s && s.reason() == SkipReason.RELEASED) {
        log.debug("archive controller: {} (uid {}) released: being deleted, {}", r.key(),
            r.marking().uid(), r.action() == BatchReader.Action.RELEASE ? "no longer selected"
                : "archived already");
      }
      if (r.held()) {
        outcomes.add(released);
      }
    }
  }

  /** Whether {@code key} is being deleted and held by our finalizer, as the informers saw it. */
  boolean deleting(WorkflowKey key) {
    return reader.deleting(key);
  }

  /** The batch did not commit, or its offload rows could not be read: the database's failure. */
  private void databaseFailed(ArchiveStoreException e, List<BatchReader.Read> reads,
      List<KeyOutcome> outcomes, Instant start) {
    metrics.batch(Duration.between(start, clock.instant()));
    gate.failed();
    if (databaseFailing.compareAndSet(false, true)) {
      log.warn("archive controller: batch of {} workflows not committed; holding the workers "
          + "until the database answers, and logging further failures at DEBUG until a batch "
          + "commits: {}", reads.size(), e.getMessage(), e);
    } else {
      log.debug("archive controller: batch of {} workflows not committed: {}", reads.size(),
          e.getMessage());
    }
    String detail = e.getMessage();
    reads.stream().filter(BatchReader.Read::held).forEach(r ->
        outcomes.add(new Retry(r.key(), FailureReason.DATABASE, detail)));
  }

  /**
   * Sends the PATCH of {@code marking}: the Archived label (and our finalizer's removal) after a
   * write, or with {@code release} the finalizer's removal alone, for a workflow being deleted
   * that needs no row. A PATCH that meets an outage is remembered as it was asked, so that its
   * retry is a release again when this was one.
   */
  private KeyOutcome mark(WorkflowKey key, Marking marking, boolean release) {
    if (!fence.getAsBoolean()) {
      // Committed but not marked: the next leader archives it again (an idempotent upsert).
      return new Abandoned(key);
    }
    MarkResult marked;
    try {
      marked = api.markArchived(key, marking);
    } catch (WorkflowApiException e) {
      if (KubeOutages.isOutage(e.code())) {
        unmarked.put(key, new Unmarked(marking, release));
        outages.failed(e.code(), e.getMessage());
        return new Retry(key, FailureReason.KUBE_UNAVAILABLE, e.getMessage());
      }
      unmarked.remove(key);
      return new Retry(key, FailureReason.KUBE_PATCH, e.getMessage());
    }
    outages.succeeded();
    unmarked.remove(key);
    switch (marked) {
      case REPLACED -> log.info("archive controller: {} (uid {}) was archived, but the name now "
          + "belongs to a newer workflow; that one is handled by its own event", key,
          marking.uid());
      case CHANGED -> {
        if (marking.deleting()) {
          log.info("archive controller: {} (uid {}) is being deleted, but its finalizers changed "
              + "since it was read; not released yet, its next event brings it back", key,
              marking.uid());
        } else {
          log.info("archive controller: {} (uid {}) was archived, but it is no longer completed "
              + "or changed since it was read (argo retry?); not labelled, it comes back when it "
              + "completes again", key, marking.uid());
        }
        return new Skipped(key, SkipReason.CHANGED);
      }
      default -> { }
    }
    return release ? new Skipped(key, SkipReason.RELEASED) : new Archived(key, marking.uid());
  }

  /** A PATCH that met an outage after its row was committed, or for a release without a row. */
  private record Unmarked(Marking marking, boolean release) {}

  private static Duration nonNegative(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }
}
