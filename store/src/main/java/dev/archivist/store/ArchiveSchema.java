package dev.archivist.store;

/**
 * The names and column limits of the archive's tables, in one place: Argo's two tables, which an
 * Argo Server reads too (their layout is a fixed contract; see {@code docs/schema.md}), and the
 * table Archivist adds. The store writes and checks against these; the server refuses requests
 * that cannot match a row.
 */
public final class ArchiveSchema {
  /** Argo's workflow table, primary key {@code (clustername, uid)}. */
  public static final String WORKFLOWS = "argo_archived_workflows";
  /** Argo's label table: one row per label of each archived workflow. */
  public static final String LABELS = "argo_archived_workflows_labels";
  /** Archivist's quarantine log. */
  public static final String QUARANTINE = "archivist_quarantine";

  /** {@code uid varchar(128)}. */
  public static final int UID_LENGTH = 128;
  /** {@code name varchar(256)}. */
  public static final int NAME_LENGTH = 256;
  /** {@code namespace varchar(256)}. */
  public static final int NAMESPACE_LENGTH = 256;
  /** {@code phase varchar(25)}. */
  public static final int PHASE_LENGTH = 25;
  /** {@code clustername varchar(64)} and {@code instanceid varchar(64)}. */
  public static final int SCOPE_LENGTH = 64;
  /** The label table's {@code name varchar(317)}: a label key. */
  public static final int LABEL_KEY_LENGTH = 317;
  /** The label table's {@code value varchar(63)}. */
  public static final int LABEL_VALUE_LENGTH = 63;

  private ArchiveSchema() {}
}
