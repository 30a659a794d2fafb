package dev.archivist.store;

import java.util.List;

/** What {@link ArchiveStore#archive} did with each workflow of a batch, in input order. */
public record BatchResult(List<RowOutcome> outcomes) {
  public BatchResult {
    outcomes = List.copyOf(outcomes);
  }

  /** One row's outcome. */
  public sealed interface RowOutcome permits Written, Rejected {
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
}
