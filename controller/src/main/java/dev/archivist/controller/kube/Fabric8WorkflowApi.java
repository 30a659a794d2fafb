package dev.archivist.controller.kube;

import dev.archivist.controller.KubeClients;
import dev.archivist.core.WorkflowKey;
import dev.archivist.core.WorkflowLabels;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * {@link WorkflowApi} over a fabric8 client. Every call is bounded by the client's request
 * timeout (see {@link KubeClients}); nothing here retries, the archive queue does.
 */
final class Fabric8WorkflowApi implements WorkflowApi {
  private static final int NOT_FOUND = 404;
  private static final int CONFLICT = 409;
  private static final int UNPROCESSABLE = 422;

  private final KubernetesClient client;
  private final KubernetesSerialization serialization;
  private final Clock clock;

  Fabric8WorkflowApi(KubernetesClient client, Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.serialization = client.getKubernetesSerialization();
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public Optional<JsonNode> get(WorkflowKey key) {
    long start = clock.millis();
    GenericKubernetesResource live;
    try {
      live = Workflows.operation(client).inNamespace(key.namespace()).withName(key.name()).get();
    } catch (KubernetesClientException e) {
      if (e.getCode() == NOT_FOUND) {
        return Optional.empty();
      }
      throw new WorkflowApiException("GET", key, e.getCode(), clock.millis() - start, e);
    }
    if (live == null) {
      return Optional.empty();
    }
    return Optional.of(serialization.convertValue(live, JsonNode.class));
  }

  @Override
  public MarkResult markArchived(WorkflowKey key, String uid) {
    String patch = serialization.asJson(Map.of("metadata", Map.of(
        "uid", uid,
        "labels", Map.of(WorkflowLabels.ARCHIVING_STATUS, WorkflowLabels.STATUS_ARCHIVED),
        // When --delete-after counts from, also after a restart (ArchivedReaper).
        "annotations", Map.of(LifecycleApi.ARCHIVED_AT_ANNOTATION, clock.instant().toString()))));
    long start = clock.millis();
    try {
      Workflows.operation(client).inNamespace(key.namespace()).withName(key.name())
          .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
      return MarkResult.MARKED;
    } catch (KubernetesClientException e) {
      switch (e.getCode()) {
        case NOT_FOUND:
          return MarkResult.GONE;
        case CONFLICT:
        case UNPROCESSABLE:
          // The uid in the patch did not match: tell a replaced workflow from another refusal.
          Optional<JsonNode> now = get(key);
          if (now.isEmpty()) {
            return MarkResult.GONE;
          }
          if (!uid.equals(now.get().path("metadata").path("uid").asString(""))) {
            return MarkResult.REPLACED;
          }
          throw new WorkflowApiException("PATCH", key, e.getCode(), clock.millis() - start, e);
        default:
          throw new WorkflowApiException("PATCH", key, e.getCode(), clock.millis() - start, e);
      }
    }
  }
}
