package dev.archivist.controller.kube;

import dev.archivist.core.WorkflowKey;
import dev.archivist.core.WorkflowLabels;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@link LifecycleApi} over a fabric8 client. Nothing here retries; the callers' queues do.
 *
 * <p>The DELETE is sent with {@link KubernetesClient#raw} because fabric8's DSL has no way to put
 * a uid into {@code DeleteOptions.preconditions} ({@code lockResourceVersion} sets only the
 * resourceVersion). The raw call still goes through the client's HTTP stack: its credentials,
 * rate limit and request timeout. The API server answers 409 Conflict when a precondition does not
 * hold. fabric8's mock server ignores the body of a DELETE, so the tests check the re-read before
 * it and the body it carries, not the server's enforcement.
 */
final class Fabric8LifecycleApi implements LifecycleApi {
  private static final int NOT_FOUND = 404;
  private static final int CONFLICT = 409;
  private static final int UNPROCESSABLE = 422;

  private final KubernetesClient client;
  private final KubernetesSerialization serialization;
  private final Clock clock;

  Fabric8LifecycleApi(KubernetesClient client, Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.serialization = client.getKubernetesSerialization();
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public boolean annotateQuarantine(WorkflowKey key, String uid, String json) {
    String patch = serialization.asJson(Map.of("metadata", Map.of(
        "uid", uid,
        "annotations", Map.of(QUARANTINE_ANNOTATION, json))));
    long start = clock.millis();
    try {
      Workflows.operation(client).inNamespace(key.namespace()).withName(key.name())
          .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == NOT_FOUND || e.getCode() == CONFLICT || e.getCode() == UNPROCESSABLE) {
        return false;
      }
      throw new WorkflowApiException("PATCH (quarantine annotation)", key, e.getCode(),
          clock.millis() - start, e);
    }
  }

  @Override
  public boolean removeQuarantineAnnotation(WorkflowKey key, String uid) {
    // Read first: nothing to do for another uid or no annotation (and fabric8's mock server never
    // answers a JSON patch whose "test" fails, so the common case must not send one).
    long start = clock.millis();
    GenericKubernetesResource live;
    try {
      live = Workflows.operation(client).inNamespace(key.namespace()).withName(key.name()).get();
    } catch (KubernetesClientException e) {
      throw new WorkflowApiException("GET", key, e.getCode(), clock.millis() - start, e);
    }
    if (live == null || !uid.equals(live.getMetadata().getUid())
        || live.getMetadata().getAnnotations() == null
        || !live.getMetadata().getAnnotations().containsKey(QUARANTINE_ANNOTATION)) {
      return false;
    }
    // A JSON patch rather than a merge patch with null: "test" guards the uid against a re-creation
    // since the read, and "remove" works on the mock server too (its merge patch keeps null keys).
    String patch = serialization.asJson(List.of(
        Map.of("op", "test", "path", "/metadata/uid", "value", uid),
        Map.of("op", "remove", "path", "/metadata/annotations/"
            + QUARANTINE_ANNOTATION.replace("~", "~0").replace("/", "~1"))));
    try {
      Workflows.operation(client).inNamespace(key.namespace()).withName(key.name())
          .patch(PatchContext.of(PatchType.JSON), patch);
      return true;
    } catch (KubernetesClientException e) {
      // 404: gone since the read; 409/422: the "test" failed (re-created) or nothing to remove.
      if (e.getCode() == NOT_FOUND || e.getCode() == CONFLICT || e.getCode() == UNPROCESSABLE) {
        return false;
      }
      throw new WorkflowApiException("PATCH (remove quarantine annotation)", key, e.getCode(),
          clock.millis() - start, e);
    }
  }

  @Override
  public DeleteResult delete(WorkflowKey key, String uid, String resourceVersion) {
    Map<String, Object> options = Map.of(
        "apiVersion", "v1",
        "kind", "DeleteOptions",
        // Argo's pods belong to the workflow; let the garbage collector take them afterwards.
        "propagationPolicy", "Background",
        "preconditions", Map.of("uid", uid, "resourceVersion", resourceVersion));
    long start = clock.millis();
    try {
      client.raw(path(key), "DELETE", options);
      return DeleteResult.DELETED;
    } catch (KubernetesClientException e) {
      switch (e.getCode()) {
        case NOT_FOUND:
          return DeleteResult.GONE;
        case CONFLICT:
          return DeleteResult.CHANGED;
        default:
          throw new WorkflowApiException("DELETE", key, e.getCode(), clock.millis() - start, e);
      }
    }
  }

  /** The Workflow's path under the API server's root; namespaces and names need no escaping. */
  static String path(WorkflowKey key) {
    return "/apis/" + WorkflowLabels.GROUP + "/" + WorkflowLabels.VERSION + "/namespaces/"
        + key.namespace() + "/" + WorkflowLabels.PLURAL + "/" + key.name();
  }
}
