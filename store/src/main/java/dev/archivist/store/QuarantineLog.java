package dev.archivist.store;

import java.util.List;

/**
 * The archive's record of quarantined workflows: those the controller gave up archiving at full
 * speed after {@code --max-retries} failures, and now retries only every
 * {@code --quarantine-retry-period}. One row per workflow uid, in the additive table
 * {@code archivist_quarantine}, scoped to the store's {@code (clustername, instanceid)} like every
 * archive query. Argo never reads it.
 *
 * <p>Thread-safe; every call is one short autocommit statement. Failures of the database surface
 * as {@link ArchiveStoreException}.
 */
public interface QuarantineLog {

  /**
   * Inserts or replaces the row of {@code entry.uid()}. The caller passes absolute values (the
   * attempt count it holds), so that writing the same entry twice changes nothing.
   */
  void record(QuarantineEntry entry);

  /** Deletes the row of {@code uid}; false when there was none. */
  boolean clear(String uid);

  /** Every row, oldest {@code firstFailedAt} first. Quarantine is small by nature. */
  List<QuarantineEntry> list();
}
