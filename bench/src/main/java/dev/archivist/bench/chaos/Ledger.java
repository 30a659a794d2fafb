package dev.archivist.bench.chaos;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The campaign's own record of every workflow it made, by uid as the API server assigned it, and
 * what the archive must hold for it at the end. The account compares this with the database; it
 * never reads Archivist's counters.
 *
 * <p>Thread-safety: a concurrent map; entries are immutable and replaced whole.
 */
final class Ledger {
  /** What the archive must show for a workflow at the end. */
  enum Expect {
    /** Exactly one row, with the final phase and marker. */
    ARCHIVED,
    /** One row or none (deleted before it was archived, without a finalizer to hold it). */
    MAY_BE_ARCHIVED,
    /** No row; a quarantine entry with a reason. */
    QUARANTINED
  }

  /**
   * One workflow.
   *
   * @param kind what made it: stream, burst, compressed, poison-..., recreated-..., retried
   * @param phase its final phase
   * @param marker its final {@link ChaosWorkflows#FINAL} annotation, which the stored copy must
   *     carry
   * @param completedNanos when it completed (its last completion), System.nanoTime
   * @param lagTracked whether the archive lag follows it (the ordinary stream)
   */
  record Entry(String namespace, String name, String uid, String kind, Expect expect,
      String phase, String marker, long completedNanos, boolean lagTracked) {}

  private final Map<String, Entry> byUid = new ConcurrentHashMap<>();
  private final List<Map<String, Object>> refused = java.util.Collections.synchronizedList(
      new ArrayList<>());

  void put(Entry e) {
    byUid.put(e.uid(), e);
  }

  Entry get(String uid) {
    return byUid.get(uid);
  }

  Collection<Entry> entries() {
    return byUid.values();
  }

  int size() {
    return byUid.size();
  }

  /** A poison workflow the API server itself refused: it never existed, so nothing to archive. */
  void refused(String kind, int code, String message) {
    refused.add(Map.of("kind", kind, "code", code, "message",
        message.length() > 300 ? message.substring(0, 300) + "..." : message));
  }

  List<Map<String, Object>> refusedByApiServer() {
    synchronized (refused) {
      return List.copyOf(refused);
    }
  }
}
