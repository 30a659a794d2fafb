package dev.archivist.core;

/**
 * The label names and values that Argo Workflows puts on a {@code Workflow}, and that Archivist
 * reads and writes. They are part of Argo's contract; see {@code docs/architecture.md}, Argo's
 * labels.
 */
public final class WorkflowLabels {
  /** {@code "true"} once the phase is Succeeded, Failed or Error. */
  public static final String COMPLETED = "workflows.argoproj.io/completed";
  /** {@code Pending}, {@code Archived} or {@code Persisted}. */
  public static final String ARCHIVING_STATUS = "workflows.argoproj.io/workflow-archiving-status";
  /** The workflow's phase. */
  public static final String PHASE = "workflows.argoproj.io/phase";
  /**
   * Argo's controller instance ID. A controller started with an instance ID owns the workflows
   * that carry it; one started without owns the workflows that lack this label.
   */
  public static final String CONTROLLER_INSTANCE_ID =
      "workflows.argoproj.io/controller-instanceid";

  /** The row is committed and the live object still exists. */
  public static final String STATUS_ARCHIVED = "Archived";
  /** Forced onto every copy that is stored in, or read back from, the archive. */
  public static final String STATUS_PERSISTED = "Persisted";
  /** Argo's own archiver will archive it. */
  public static final String STATUS_PENDING = "Pending";

  /** The API group, version and plural of Argo's Workflow resource. */
  public static final String GROUP = "argoproj.io";
  public static final String VERSION = "v1alpha1";
  public static final String PLURAL = "workflows";
  public static final String KIND = "Workflow";

  private WorkflowLabels() {}
}
