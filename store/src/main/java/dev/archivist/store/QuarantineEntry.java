package dev.archivist.store;

import java.time.Instant;
import java.util.Objects;

/**
 * One quarantined workflow.
 *
 * @param uid the workflow's uid (the row key, with the store's cluster name)
 * @param namespace its namespace
 * @param name its name
 * @param attempts failed attempts so far, those before quarantine included
 * @param lastError what the last attempt failed with, for people; at most
 *     {@link #MAX_ERROR_LENGTH} characters
 * @param firstFailedAt when it entered quarantine
 * @param lastFailedAt when its last attempt failed
 */
public record QuarantineEntry(String uid, String namespace, String name, int attempts,
    String lastError, Instant firstFailedAt, Instant lastFailedAt) {

  /** The longest error message kept; longer ones are cut, with a marker. */
  public static final int MAX_ERROR_LENGTH = 2000;

  public QuarantineEntry {
    Objects.requireNonNull(uid, "uid");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(firstFailedAt, "firstFailedAt");
    Objects.requireNonNull(lastFailedAt, "lastFailedAt");
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be >= 1, got " + attempts);
    }
    lastError = lastError == null ? "" : lastError;
    if (lastError.length() > MAX_ERROR_LENGTH) {
      lastError = lastError.substring(0, MAX_ERROR_LENGTH - 3) + "...";
    }
  }
}
