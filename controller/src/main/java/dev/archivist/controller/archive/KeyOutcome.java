package dev.archivist.controller.archive;

import dev.archivist.controller.metrics.FailureReason;
import dev.archivist.core.WorkflowKey;

/**
 * What one attempt did with one key. The worker turns it into queue calls: {@link Archived} and
 * {@link Skipped} forget the key, {@link Retry} adds it back rate-limited, {@link Abandoned}
 * (shutdown) leaves it for the next start. Every key gets {@code done} whatever the outcome.
 */
sealed interface KeyOutcome {
  WorkflowKey key();

  /** The row is committed and the workflow is marked (or gone, or replaced by a newer one). */
  record Archived(WorkflowKey key, String uid) implements KeyOutcome {}

  /** There is nothing to archive under this key now. */
  record Skipped(WorkflowKey key, SkipReason reason) implements KeyOutcome {}

  /** The attempt failed; it is retried with the key's backoff. */
  record Retry(WorkflowKey key, FailureReason reason, String detail) implements KeyOutcome {}

  /**
   * The key was not attempted to the end: the controller is shutting down, or it may not write
   * (no fresh lease); in the latter case the worker retries it with backoff.
   */
  record Abandoned(WorkflowKey key) implements KeyOutcome {}

  /**
   * Another worker is archiving this workflow right now, having read it with a LIST page, or
   * another writer has archived a later completion of it than the one read; the key comes back
   * after a short wait, not counted as a failure.
   */
  record Deferred(WorkflowKey key) implements KeyOutcome {}

  /** Why a key was skipped. */
  enum SkipReason {
    /** The workflow no longer exists. */
    GONE,
    /**
     * The informers no longer hold it (marked Archived, deleted, or no longer selected since it
     * was queued), so it was not even read.
     */
    LEFT_INFORMER,
    /** Its {@code completed} label is not {@code true}. */
    NOT_COMPLETED,
    /** It is already labelled {@code Archived}. */
    ALREADY_ARCHIVED,
    /**
     * Archived, but before it was labelled its uid or completed label changed ({@code argo
     * retry} runs it again under the same uid): it comes back when it completes again.
     */
    CHANGED,
    /** It does not match {@code --archive-label-selector}. */
    NOT_SELECTED,
    /**
     * Being deleted, it was released (our finalizer removed) without a write: archived already,
     * or no longer selected.
     */
    RELEASED
  }
}
