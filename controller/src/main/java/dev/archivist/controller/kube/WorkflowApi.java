package dev.archivist.controller.kube;

import dev.archivist.core.WorkflowKey;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The Kubernetes calls a worker makes: read one, read a page, mark one. A seam so that tests can
 * fail one call on purpose (a crash between commit and PATCH) without touching the API server.
 *
 * <p>Implementations are thread-safe and bound every call by the client's request timeout.
 */
public interface WorkflowApi {

  /** The calls over a fabric8 client, bound by its request timeout; {@code clock} times them. */
  static WorkflowApi fabric8(KubernetesClient client, Clock clock) {
    return new Fabric8Workflows(client, clock);
  }

  /**
   * The latest Workflow under {@code key}, read from the API server (not from a cache).
   *
   * @return empty when it does not exist (404)
   * @throws WorkflowApiException on any other failure, with the HTTP code when there was one
   */
  Optional<JsonNode> get(WorkflowKey key);

  /**
   * One page of the Workflows of {@code namespace} that {@code selector} matches, read from the
   * API server: at most {@code limit}, continuing the list {@code continueToken} started (null
   * starts one).
   *
   * @throws WorkflowApiException on any failure, with the HTTP code when there was one (410
   *     when the token expired)
   */
  Page list(String namespace, String selector, int limit, String continueToken);

  /**
   * Sets the archiving-status label to {@code Archived} (and the archived-at annotation) with a
   * JSON Patch that first tests the uid and the completed label, so it never labels a workflow
   * re-created under the same name, nor one that {@code argo retry} runs again. When the marking
   * names our finalizer, the same patch removes it; for a workflow being deleted the patch only
   * removes it (see {@link Marking}).
   *
   * @throws WorkflowApiException on any failure other than the outcomes returned
   */
  MarkResult markArchived(WorkflowKey key, Marking marking);

  /** The items of one page, and the token of the next (null after the last page). */
  record Page(List<JsonNode> items, String continueToken) {
    public Page {
      items = List.copyOf(items);
    }
  }

  /**
   * What a mark needs of the object that was read and archived.
   *
   * @param hasAnnotations whether it had an annotations map (a JSON Patch can only add a key to
   *     an existing map)
   * @param resourceVersion its resourceVersion, tested when the map must be added whole
   * @param finalizerIndex where {@link FinalizerApi#FINALIZER} is in its finalizers, or -1: the
   *     mark then tests that element and removes it, releasing the workflow
   * @param deleting whether it is being deleted (a deletionTimestamp) and held by our finalizer:
   *     the mark then only releases it, without the label, the completed test or the annotation
   */
  record Marking(String uid, boolean hasAnnotations, String resourceVersion, int finalizerIndex,
      boolean deleting) {

    /** A mark of a workflow without our finalizer. */
    public Marking(String uid, boolean hasAnnotations, String resourceVersion) {
      this(uid, hasAnnotations, resourceVersion, -1, false);
    }

    /** The mark of an object as read: its uid, annotations, resourceVersion and finalizer. */
    public static Marking of(JsonNode workflow) {
      JsonNode meta = workflow.path("metadata");
      int index = WorkflowApi.finalizerIndex(workflow);
      return new Marking(meta.path("uid").asString(""), meta.path("annotations").isObject(),
          meta.path("resourceVersion").asString(""), index,
          index >= 0 && !meta.path("deletionTimestamp").asString("").isEmpty());
    }
  }

  /** Where {@link FinalizerApi#FINALIZER} is in a workflow's finalizers, or -1. */
  static int finalizerIndex(JsonNode workflow) {
    JsonNode finalizers = workflow.path("metadata").path("finalizers");
    for (int i = 0; i < finalizers.size(); i++) {
      if (FinalizerApi.FINALIZER.equals(finalizers.get(i).asString(""))) {
        return i;
      }
    }
    return -1;
  }

  /** What {@link #markArchived} found. */
  enum MarkResult {
    /** The label is set. */
    MARKED,
    /** The workflow no longer exists: nothing left to mark. */
    GONE,
    /** The name now belongs to a workflow with another uid; that one has its own event. */
    REPLACED,
    /**
     * Same uid, but no longer completed or changed since it was read: not labelled; its next
     * event brings it back.
     */
    CHANGED
  }
}
