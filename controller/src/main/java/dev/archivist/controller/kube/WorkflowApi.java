package dev.archivist.controller.kube;

import dev.archivist.core.WorkflowKey;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The two Kubernetes calls a worker makes. A seam so that tests can fail one call on purpose
 * (a crash between commit and PATCH) without touching the API server.
 *
 * <p>Implementations are thread-safe and bound every call by the client's request timeout.
 */
public interface WorkflowApi {

  /** The calls over a fabric8 client, bound by its request timeout; {@code clock} times them. */
  static WorkflowApi fabric8(KubernetesClient client, Clock clock) {
    return new Fabric8WorkflowApi(client, clock);
  }

  /**
   * The latest Workflow under {@code key}, read from the API server (not from a cache).
   *
   * @return empty when it does not exist (404)
   * @throws WorkflowApiException on any other failure, with the HTTP code when there was one
   */
  Optional<JsonNode> get(WorkflowKey key);

  /**
   * Sets the archiving-status label to {@code Archived} with a JSON merge patch that also carries
   * {@code uid}. The API server treats {@code metadata.uid} as immutable, so the patch fails
   * instead of labelling a different workflow that was re-created under the same name.
   *
   * @throws WorkflowApiException on any failure other than the outcomes returned
   */
  MarkResult markArchived(WorkflowKey key, String uid);

  /** What {@link #markArchived} found. */
  enum MarkResult {
    /** The label is set. */
    MARKED,
    /** The workflow no longer exists: nothing left to mark. */
    GONE,
    /** The name now belongs to a workflow with another uid; that one has its own event. */
    REPLACED
  }
}
