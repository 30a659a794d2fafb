package dev.archivist.controller.metrics;

import java.util.Locale;

/** The {@code reason} label of {@code archivist_archive_failures_total}. */
public enum FailureReason {
  /** Reading the workflow from the API server failed (not a 404, not an outage). */
  KUBE_GET,
  /**
   * The API server failed in a way that is not the workflow's: no answer, 401, 403, 408, 429 or
   * 5xx. Backed off and retried, never counted towards quarantine.
   */
  KUBE_UNAVAILABLE,
  /** The object cannot be archived as it is (no uid, not an object, ...). */
  MALFORMED,
  /** The database could not commit the batch (down, timed out). */
  DATABASE,
  /** The database refused this row on its own merits. */
  REJECTED,
  /** The row is committed but the Archived label could not be set. */
  KUBE_PATCH,
  /** An unexpected error in the controller itself; see the log. */
  INTERNAL;

  /** The label value: lower snake case, e.g. {@code kube_patch}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
