package dev.archivist.server;

import dev.archivist.store.QuarantineEntry;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON shape of one quarantined workflow, the one place that defines it: the items of
 * {@code GET /api/v1/quarantine}, which {@code archivist quarantine} also prints when it reads the
 * database. Fields: {@code namespace}, {@code name}, {@code uid} (absent when not known),
 * {@code failures}, {@code lastError} and {@code since} (RFC 3339).
 */
public final class QuarantineJson {
  private QuarantineJson() {}

  /** Writes {@code entry}'s fields into {@code item} and returns it. */
  public static ObjectNode write(QuarantineEntry entry, ObjectNode item) {
    item.put("namespace", entry.namespace());
    item.put("name", entry.name());
    if (!entry.uid().isEmpty()) {
      item.put("uid", entry.uid());
    }
    item.put("failures", entry.attempts());
    item.put("lastError", entry.lastError());
    item.put("since", entry.firstFailedAt().toString());
    return item;
  }
}
