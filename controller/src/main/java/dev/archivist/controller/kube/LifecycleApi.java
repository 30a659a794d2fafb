package dev.archivist.controller.kube;

import dev.archivist.core.WorkflowKey;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;

/**
 * The Kubernetes writes of the lifecycle: the quarantine annotation and the deletion
 * after {@code --delete-after}. A seam beside {@link WorkflowApi}, so that tests can interpose on
 * one call, e.g. re-create a workflow between the last check and the DELETE.
 *
 * <p>Every write carries the uid it means, so none of them can touch a workflow that was
 * re-created under the same name. Implementations are thread-safe and bound every call by the
 * client's request timeout.
 */
public interface LifecycleApi {

  /** The calls over a fabric8 client, bound by its request timeout; {@code clock} times them. */
  static LifecycleApi fabric8(KubernetesClient client, Clock clock) {
    return new Fabric8Workflows(client, clock);
  }

  /** The annotation that holds a quarantined workflow's attempts and last error, as JSON. */
  String QUARANTINE_ANNOTATION = "archivist.dev/quarantine";

  /** The annotation that says when Archivist labelled the workflow Archived (RFC 3339). */
  String ARCHIVED_AT_ANNOTATION = "archivist.dev/archived-at";

  /**
   * Sets {@link #QUARANTINE_ANNOTATION} to {@code json} with a JSON merge patch that carries the
   * uid (immutable, so the patch fails on a re-created workflow).
   *
   * @return false when the workflow is gone or has another uid now
   * @throws WorkflowApiException on any other failure
   */
  boolean annotateQuarantine(WorkflowKey key, String uid, String json);

  /**
   * Removes {@link #QUARANTINE_ANNOTATION} with a JSON patch that first tests the uid.
   *
   * @return false when there was nothing to remove (gone, re-created, or no annotation)
   * @throws WorkflowApiException on any other failure
   */
  boolean removeQuarantineAnnotation(WorkflowKey key, String uid);

  /**
   * Deletes the workflow with {@code DeleteOptions.preconditions} {@code uid} and
   * {@code resourceVersion}: the API server refuses (409) if the name now belongs to another
   * workflow, or if this one changed since it was read (its Archived label removed, say).
   *
   * @throws WorkflowApiException on any failure other than the outcomes returned
   */
  DeleteResult delete(WorkflowKey key, String uid, String resourceVersion);

  /** What {@link #delete} found. */
  enum DeleteResult {
    /** The API server accepted the deletion. */
    DELETED,
    /** Nothing under that name any more. */
    GONE,
    /** A precondition failed: another uid, or changed since it was read. */
    CHANGED
  }
}
