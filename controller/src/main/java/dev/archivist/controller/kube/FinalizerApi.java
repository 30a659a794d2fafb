package dev.archivist.controller.kube;

import dev.archivist.core.WorkflowKey;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.List;

/**
 * Adding and removing Archivist's finalizer, {@value #FINALIZER}, on one workflow. Each call is
 * one JSON Patch that first tests the uid, so it never touches a workflow re-created under the
 * same name, and that never rewrites the finalizers of others: it appends to the list, or removes
 * the one element it tested.
 *
 * <p>Implementations are thread-safe and bound every call by the client's request timeout.
 */
public interface FinalizerApi {

  /**
   * The finalizer that holds a workflow in the cluster until its row is committed. The
   * archive worker removes it with the Archived label, or alone when the workflow is being
   * deleted; {@code archivist release-finalizers} removes it from every workflow.
   */
  String FINALIZER = "archivist.dev/archive";

  /** The calls over a fabric8 client, bound by its request timeout; {@code clock} times them. */
  static FinalizerApi fabric8(KubernetesClient client, Clock clock) {
    return new Fabric8Workflows(client, clock);
  }

  /**
   * Adds {@link #FINALIZER} to a workflow whose finalizers were {@code finalizers} (empty when it
   * had none) at {@code resourceVersion}. The patch tests the uid and the list as it was, so the
   * finalizer is never added twice and another's list is never replaced; with no list yet it
   * tests the resourceVersion, since it must create the list.
   *
   * @return {@link Result#CHANGED} when a test failed: the next event of the workflow brings it
   *     back with its new state
   * @throws WorkflowApiException on any failure other than the outcomes returned
   */
  Result add(WorkflowKey key, String uid, String resourceVersion, List<String> finalizers);

  /**
   * Removes {@link #FINALIZER} from a workflow whose finalizers are {@code finalizers}, testing
   * the uid and that the element removed is ours.
   *
   * @return {@link Result#CHANGED} when a test failed (read it again and retry)
   * @throws WorkflowApiException on any failure other than the outcomes returned
   */
  Result remove(WorkflowKey key, String uid, List<String> finalizers);

  /** What a patch found. */
  enum Result {
    /** The API server applied the patch. */
    DONE,
    /** No workflow under that name. */
    GONE,
    /** A test failed: another uid, or the finalizers or the object changed since it was read. */
    CHANGED
  }
}
