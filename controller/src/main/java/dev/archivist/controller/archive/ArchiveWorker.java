package dev.archivist.controller.archive;

import dev.archivist.controller.archive.KeyOutcome.Abandoned;
import dev.archivist.controller.archive.KeyOutcome.Archived;
import dev.archivist.controller.archive.KeyOutcome.Deferred;
import dev.archivist.controller.archive.KeyOutcome.Retry;
import dev.archivist.controller.archive.KeyOutcome.Skipped;
import dev.archivist.controller.metrics.CountingMetrics;
import dev.archivist.controller.metrics.FailureReason;
import dev.archivist.core.WorkflowKey;
import dev.archivist.workqueue.RateLimitingQueue;
import dev.archivist.workqueue.WorkerLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One worker thread's loop: take a key (blocking), fill a batch with whatever else is ready, hand
 * the batch to the {@link BatchArchiver}, and turn each outcome into queue calls. Every key taken
 * gets {@code done}, in a {@code finally}, whatever happened.
 *
 * <p>This is the boundary where failures are caught: an unexpected exception from a batch retries
 * all its keys (reason {@code internal}) and the loop goes on. The loop ends when the queue shuts
 * down ({@code get} returns null), when {@code stopping} turns true, or when the thread is
 * interrupted while waiting for a key.
 *
 * <p>A failing workflow retries with its per-item backoff, capped by {@code --retry-max-delay},
 * until {@link Quarantine} takes it over after {@code --max-retries} failures of its own.
 */
public final class ArchiveWorker implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(ArchiveWorker.class);

  private final RateLimitingQueue<WorkflowKey> queue;
  private final BatchArchiver archiver;
  private final int batchSize;
  private final int maxRetries;
  private final CountingMetrics metrics;
  private final BooleanSupplier stopping;
  private final Quarantine quarantine;
  /** How long a key that another worker is archiving waits before it is looked at again. */
  private static final Duration DEFER = Duration.ofSeconds(1);

  public ArchiveWorker(RateLimitingQueue<WorkflowKey> queue, BatchArchiver archiver, int batchSize,
      int maxRetries, CountingMetrics metrics, BooleanSupplier stopping, Quarantine quarantine) {
    this.quarantine = Objects.requireNonNull(quarantine, "quarantine");
    this.queue = Objects.requireNonNull(queue, "queue");
    this.archiver = Objects.requireNonNull(archiver, "archiver");
    this.batchSize = batchSize;
    this.maxRetries = maxRetries;
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.stopping = Objects.requireNonNull(stopping, "stopping");
  }

  @Override
  public void run() {
    while (!stopping.getAsBoolean()) {
      WorkflowKey first = WorkerLoop.take(queue);
      if (first == null) {
        return; // shut down or interrupted
      }
      List<WorkflowKey> batch = new ArrayList<>(Math.min(batchSize, 64));
      batch.add(first);
      while (batch.size() < batchSize) {
        WorkflowKey next = queue.tryGet();
        if (next == null) {
          break;
        }
        batch.add(next);
      }
      try {
        process(batch);
      } finally {
        for (WorkflowKey key : batch) {
          queue.done(key);
        }
      }
    }
  }

  /** Attempts one batch and applies the outcomes; the caller owns {@code done}. */
  void process(List<WorkflowKey> batch) {
    if (stopping.getAsBoolean()) {
      return;
    }
    batch = quarantine.admit(batch, archiver::deleting);
    if (batch.isEmpty()) {
      return;
    }
    try {
      // During a database outage one worker probes and the others wait here, holding keys only.
      archiver.gate().awaitUp();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    List<KeyOutcome> outcomes;
    try {
      outcomes = archiver.archive(batch);
    } catch (RuntimeException e) {
      log.error("archive controller: unexpected failure archiving a batch of {} keys (first {});"
          + " retrying each with backoff", batch.size(), batch.get(0), e);
      String detail = e.toString();
      outcomes = new ArrayList<>(batch.size());
      for (WorkflowKey key : batch) {
        outcomes.add(new Retry(key, FailureReason.INTERNAL, detail));
      }
    }
    for (KeyOutcome outcome : outcomes) {
      apply(outcome);
    }
  }

  private void apply(KeyOutcome outcome) {
    WorkflowKey key = outcome.key();
    if (outcome instanceof Archived) {
      queue.forget(key);
      metrics.archived();
      quarantine.leave(key, "archived");
    } else if (outcome instanceof Skipped skipped) {
      queue.forget(key);
      metrics.skipped();
      quarantine.leave(key, "skipped: " + skipped.reason());
      log.debug("archive controller: {} skipped: {}", key, skipped.reason());
    } else if (outcome instanceof Deferred) {
      // Another worker archives it from its page right now; by the time this comes back the
      // informers no longer hold it, and it costs no request.
      queue.addAfter(key, DEFER);
    } else if (outcome instanceof Retry retry
        && retry.reason() == FailureReason.DATABASE && !quarantine.holds(key)) {
      // Not the workflow's fault, and the gate holds the workers until the database answers:
      // back in the queue without growing its backoff, to drain at the full rate afterwards.
      metrics.failure(retry.reason());
      queue.add(key);
    } else if (outcome instanceof Retry retry) {
      metrics.failure(retry.reason());
      int failuresBefore = queue.numRequeues(key);
      if (quarantine.failed(key, retry.reason(), retry.detail(), failuresBefore)) {
        return;
      }
      if (failuresBefore == 0 && retry.reason() != FailureReason.DATABASE
          && retry.reason() != FailureReason.KUBE_UNAVAILABLE) {
        log.warn("archive controller: {} failed ({}), retrying with backoff: {}", key,
            retry.reason().label(), retry.detail());
      } else if (failuresBefore + 1 == maxRetries) {
        log.warn("archive controller: {} has failed {} times (--max-retries), last ({}): {}; it "
            + "keeps retrying at the capped backoff", key, maxRetries, retry.reason().label(),
            retry.detail());
      } else {
        log.debug("archive controller: {} failed again ({}): {}", key, retry.reason().label(),
            retry.detail());
      }
      queue.addRateLimited(key);
    } else if (outcome instanceof Abandoned) {
      if (!stopping.getAsBoolean()) {
        // Not shutting down: the write fence was closed (the lease not renewed in time). Try
        // again later; if the lease is really lost, the process stops before that.
        queue.addRateLimited(key);
      }
      log.debug("archive controller: {} abandoned (shutdown or no fresh lease)", key);
    } else {
      throw new AssertionError(outcome);
    }
  }
}
