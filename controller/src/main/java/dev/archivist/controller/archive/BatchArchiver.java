package dev.archivist.controller.archive;

import dev.archivist.controller.archive.KeyOutcome.Abandoned;
import dev.archivist.controller.archive.KeyOutcome.Archived;
import dev.archivist.controller.archive.KeyOutcome.Retry;
import dev.archivist.controller.archive.KeyOutcome.SkipReason;
import dev.archivist.controller.archive.KeyOutcome.Skipped;
import dev.archivist.controller.kube.WorkflowApi.MarkResult;
import dev.archivist.controller.kube.WorkflowApi;
import dev.archivist.controller.kube.WorkflowApiException;
import dev.archivist.controller.kube.Workflows;
import dev.archivist.controller.metrics.ControllerMetrics;
import dev.archivist.controller.metrics.FailureReason;
import dev.archivist.core.LabelSelector;
import dev.archivist.core.WorkflowKey;
import dev.archivist.core.WorkflowLabels;
import dev.archivist.store.ArchiveStore;
import dev.archivist.store.ArchiveStoreException;
import dev.archivist.store.BatchResult;
import dev.archivist.store.MalformedWorkflowException;
import dev.archivist.store.WorkflowDocument;
import dev.archivist.store.WorkflowDocuments;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * One attempt at a batch of keys, from the API server to the archive and back:
 *
 * <ol>
 *   <li>GET each workflow; skip what is gone, not completed, already Archived or not selected;
 *   <li>convert the rest ({@link WorkflowDocuments#fromWorkflow}); a malformed one fails alone;
 *   <li>take one archive token per workflow, then {@link ArchiveStore#archive} in one transaction;
 *   <li>only for rows reported {@code Written}: PATCH the Archived label.
 * </ol>
 *
 * <p>It decides outcomes and touches no queue. Several workers share one instance; its only
 * state of its own is an atomic flag that keeps a database outage from flooding the log.
 *
 * <p>Invariant: a key's outcome is {@link Archived} only if its row was committed in this attempt
 * and the label was set afterwards (or the workflow was gone or replaced by then). A crash at any
 * point leaves the workflow unlabelled and still selected by the informer, so it is tried again.
 */
public final class BatchArchiver {
  private static final Logger log = LoggerFactory.getLogger(BatchArchiver.class);

  private final WorkflowApi api;
  private final ArchiveStore store;
  private final ArchiveTokens tokens;
  private final LabelSelector selector;
  private final ControllerMetrics metrics;
  private final Clock clock;
  /** False once this instance may no longer write (it lost the lease); checked before each. */
  private final BooleanSupplier fence;
  /**
   * Whether the last batch failed to commit. While the database is down every batch fails, so
   * only the first failure and the recovery are logged at WARN/INFO, the rest at DEBUG.
   */
  private final AtomicBoolean databaseFailing = new AtomicBoolean();

  BatchArchiver(WorkflowApi api, ArchiveStore store, ArchiveTokens tokens, LabelSelector selector,
      ControllerMetrics metrics, Clock clock) {
    this(api, store, tokens, selector, metrics, clock, () -> true);
  }

  public BatchArchiver(WorkflowApi api, ArchiveStore store, ArchiveTokens tokens,
      LabelSelector selector, ControllerMetrics metrics, Clock clock, BooleanSupplier fence) {
    this.fence = Objects.requireNonNull(fence, "fence");
    this.api = Objects.requireNonNull(api, "api");
    this.store = Objects.requireNonNull(store, "store");
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.selector = Objects.requireNonNull(selector, "selector");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Attempts every key once.
   *
   * @return one outcome per key, in no particular order
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

    List<WorkflowDocument> docs = new ArrayList<>(keys.size());
    List<WorkflowKey> docKeys = new ArrayList<>(keys.size());
    for (WorkflowKey key : keys) {
      KeyOutcome early = read(key, docs);
      if (early == null) {
        docKeys.add(key);
      } else {
        outcomes.add(early);
      }
    }
    if (docs.isEmpty()) {
      return outcomes;
    }

    if (!fence.getAsBoolean()) {
      docKeys.forEach(k -> outcomes.add(new Abandoned(k)));
      return outcomes;
    }
    BatchResult result;
    Instant start = clock.instant();
    try {
      result = store.archive(docs);
    } catch (ArchiveStoreException e) {
      metrics.batch(Duration.between(start, clock.instant()));
      if (databaseFailing.compareAndSet(false, true)) {
        log.warn("archive controller: batch of {} workflows not committed; retrying each with "
            + "backoff, and logging further failures at DEBUG until a batch commits: {}",
            docs.size(), e.getMessage(), e);
      } else {
        log.debug("archive controller: batch of {} workflows not committed: {}", docs.size(),
            e.getMessage());
      }
      String detail = e.getMessage();
      docKeys.forEach(k -> outcomes.add(new Retry(k, FailureReason.DATABASE, detail)));
      return outcomes;
    }
    Instant committed = clock.instant();
    metrics.batch(Duration.between(start, committed));
    if (databaseFailing.compareAndSet(true, false)) {
      log.info("archive controller: the archive database commits again");
    }

    List<BatchResult.RowOutcome> rows = result.outcomes();
    if (rows.size() != docs.size()) {
      throw new IllegalStateException("archive store returned " + rows.size()
          + " outcomes for a batch of " + docs.size());
    }
    for (int i = 0; i < rows.size(); i++) {
      WorkflowKey key = docKeys.get(i);
      WorkflowDocument doc = docs.get(i);
      BatchResult.RowOutcome row = rows.get(i);
      if (row instanceof BatchResult.Rejected rejected) {
        outcomes.add(new Retry(key, FailureReason.REJECTED, "row for uid " + rejected.uid()
            + " rejected by the database (SQL state " + rejected.sqlState() + "): "
            + rejected.reason()));
        continue;
      }
      metrics.lag(nonNegative(Duration.between(doc.finishedAt(), committed)));
      outcomes.add(mark(key, doc.uid()));
    }
    return outcomes;
  }

  /**
   * Reads and checks one key. Adds its document to {@code docs} and returns null when it is to
   * be archived, else returns its outcome.
   */
  private KeyOutcome read(WorkflowKey key, List<WorkflowDocument> docs) {
    Optional<JsonNode> found;
    try {
      found = api.get(key);
    } catch (WorkflowApiException e) {
      return new Retry(key, FailureReason.KUBE_GET, e.getMessage());
    }
    if (found.isEmpty()) {
      return new Skipped(key, SkipReason.GONE);
    }
    JsonNode workflow = found.get();
    Map<String, String> labels = Workflows.labels(workflow);
    if (!"true".equals(labels.get(WorkflowLabels.COMPLETED))) {
      return new Skipped(key, SkipReason.NOT_COMPLETED);
    }
    if (WorkflowLabels.STATUS_ARCHIVED.equals(labels.get(WorkflowLabels.ARCHIVING_STATUS))) {
      return new Skipped(key, SkipReason.ALREADY_ARCHIVED);
    }
    if (!selector.matches(labels)) {
      return new Skipped(key, SkipReason.NOT_SELECTED);
    }
    try {
      docs.add(WorkflowDocuments.fromWorkflow(workflow, clock.instant()));
      return null;
    } catch (MalformedWorkflowException e) {
      return new Retry(key, FailureReason.MALFORMED, "workflow " + key + " cannot be archived: "
          + e.getMessage());
    }
  }

  private KeyOutcome mark(WorkflowKey key, String uid) {
    if (!fence.getAsBoolean()) {
      // Committed but not marked: the next leader archives it again (an idempotent upsert).
      return new Abandoned(key);
    }
    MarkResult marked;
    try {
      marked = api.markArchived(key, uid);
    } catch (WorkflowApiException e) {
      return new Retry(key, FailureReason.KUBE_PATCH, e.getMessage());
    }
    if (marked == MarkResult.REPLACED) {
      log.info("archive controller: {} (uid {}) was archived, but the name now belongs to a newer "
          + "workflow; that one is handled by its own event", key, uid);
    }
    return new Archived(key, uid);
  }

  private static Duration nonNegative(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }
}
