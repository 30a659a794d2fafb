package dev.archivist.store;

import java.util.List;

/** What {@link ArchiveStore#archive} did with each workflow of a batch, in input order. */
public record BatchResult(List<RowOutcome> outcomes) {
  public BatchResult {
    outcomes = List.copyOf(outcomes);
  }

  /** One row's outcome. */
  public sealed interface RowOutcome permits Written, Rejected, Superseded {
    String uid();
  }

  /** Committed. */
  public record Written(String uid) implements RowOutcome {}

  /**
   * The database refused this row on its own merits; retrying it unchanged will fail again.
   *
   * @param reason what was wrong, for people (no data, no secrets)
   * @param sqlState the SQL state the database gave, or null
   */
  public record Rejected(String uid, String reason, String sqlState) implements RowOutcome {}

  /**
   * Not written: the archive already holds a later completion of this workflow (same uid, a
   * later {@code status.finishedAt}), which an older snapshot must not replace. Nothing of the
   * row or its labels changed. It happens when two writers overlap, such as a leader whose lease
   * ran out writing late after the next leader archived the workflow's newer completion.
   */
  public record Superseded(String uid) implements RowOutcome {}
}
