package dev.archivist.controller.kube;

import dev.archivist.controller.KubeClients;
import dev.archivist.core.WorkflowKey;
import dev.archivist.core.WorkflowLabels;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link WorkflowApi} and {@link LifecycleApi} over a fabric8 client. Every call is bounded by
 * the client's request timeout (see {@link KubeClients}); nothing here retries, the callers'
 * queues do.
 *
 * <p>The DELETE is sent with {@link KubernetesClient#raw} because fabric8's DSL has no way to put
 * a uid into {@code DeleteOptions.preconditions} ({@code lockResourceVersion} sets only the
 * resourceVersion). The raw call still goes through the client's HTTP stack: its credentials,
 * rate limit and request timeout. The API server answers 409 Conflict when a precondition does not
 * hold. fabric8's mock server ignores the body of a DELETE, so the tests check the re-read before
 * it and the body it carries, not the server's enforcement.
 */
final class Fabric8Workflows implements WorkflowApi, LifecycleApi, FinalizerApi {
  private static final int NOT_FOUND = 404;
  private static final int CONFLICT = 409;
  private static final int UNPROCESSABLE = 422;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final KubernetesClient client;
  private final KubernetesSerialization serialization;
  private final Clock clock;

  Fabric8Workflows(KubernetesClient client, Clock clock) {
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

  /**
   * One page, parsed once into the tree the workers use. Read raw rather than through fabric8's
   * typed list, which would hold each page twice (fabric8's maps, then the tree converted from
   * them): a page of large workflows is the biggest thing a worker holds.
   */
  @Override
  public Page list(String namespace, String selector, int limit, String continueToken) {
    StringBuilder uri = new StringBuilder("/apis/").append(WorkflowLabels.GROUP).append('/')
        .append(WorkflowLabels.VERSION).append("/namespaces/").append(namespace).append('/')
        .append(WorkflowLabels.PLURAL).append("?limit=").append(limit);
    if (!selector.isEmpty()) {
      uri.append("&labelSelector=").append(encode(selector));
    }
    if (continueToken != null) {
      uri.append("&continue=").append(encode(continueToken));
    }
    long start = clock.millis();
    String body;
    try {
      body = client.raw(uri.toString());
    } catch (KubernetesClientException e) {
      throw new WorkflowApiException("LIST", new WorkflowKey(namespace, "*"), e.getCode(),
          clock.millis() - start, e);
    }
    if (body == null) { // 404: the resource is not served (no Workflow CRD)
      throw new WorkflowApiException("LIST", new WorkflowKey(namespace, "*"), NOT_FOUND,
          clock.millis() - start, null);
    }
    JsonNode page = JSON.readTree(body);
    body = null; // the tree is all that is needed from here
    List<JsonNode> items = new ArrayList<>();
    page.path("items").forEach(items::add); // an empty list may have no items at all
    String next = page.path("metadata").path("continue").asString("");
    return new Page(items, next.isEmpty() ? null : next);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Override
  public MarkResult markArchived(WorkflowKey key, Marking marking) {
    String uid = marking.uid();
    // A JSON Patch whose tests make the API server refuse it unless the object is still the one
    // archived (same uid) and still completed: `argo retry` removes the completed label and runs
    // the workflow again under the same uid, and must not find it labelled Archived.
    List<Map<String, Object>> ops = new ArrayList<>();
    ops.add(Map.of("op", "test", "path", "/metadata/uid", "value", uid));
    if (marking.finalizerIndex() >= 0) {
      // Released in the same patch as the label, so never before the row is committed.
      String at = "/metadata/finalizers/" + marking.finalizerIndex();
      ops.add(Map.of("op", "test", "path", at, "value", FinalizerApi.FINALIZER));
      ops.add(Map.of("op", "remove", "path", at));
    }
    if (marking.deleting()) {
      // Being deleted: the label and annotation would outlive it by moments; release only.
      return ops.size() == 1 ? MarkResult.MARKED : patchMark(key, marking, ops);
    }
    ops.add(Map.of("op", "test", "path", labelPath(WorkflowLabels.COMPLETED), "value", "true"));
    ops.add(Map.of("op", "add", "path", labelPath(WorkflowLabels.ARCHIVING_STATUS),
        "value", WorkflowLabels.STATUS_ARCHIVED));
    // When --delete-after counts from, also after a restart (ArchivedReaper).
    String archivedAt = clock.instant().toString();
    if (marking.hasAnnotations()) {
      ops.add(Map.of("op", "add", "path", "/metadata/annotations/"
          + escape(LifecycleApi.ARCHIVED_AT_ANNOTATION), "value", archivedAt));
    } else {
      // No map to add a key to. Adding the map replaces any that appeared since the read, so
      // the patch also requires the object to be unchanged since then.
      ops.add(0, Map.of("op", "test", "path", "/metadata/resourceVersion",
          "value", marking.resourceVersion()));
      ops.add(Map.of("op", "add", "path", "/metadata/annotations",
          "value", Map.of(LifecycleApi.ARCHIVED_AT_ANNOTATION, archivedAt)));
    }
    return patchMark(key, marking, ops);
  }

  private MarkResult patchMark(WorkflowKey key, Marking marking, List<Map<String, Object>> ops) {
    String uid = marking.uid();
    long start = clock.millis();
    try {
      GenericKubernetesResource after = jsonPatch(key, ops);
      if (marking.finalizerIndex() < 0 && !marking.deleting() && after != null) {
        releaseAddedSinceTheRead(key, uid, after);
      }
      return MarkResult.MARKED;
    } catch (KubernetesClientException e) {
      switch (e.getCode()) {
        case NOT_FOUND:
          return MarkResult.GONE;
        case CONFLICT:
        case UNPROCESSABLE:
          // A test failed: tell a replaced workflow from one that changed.
          Optional<JsonNode> now = get(key);
          if (now.isEmpty()) {
            return MarkResult.GONE;
          }
          JsonNode meta = now.get().path("metadata");
          if (!uid.equals(meta.path("uid").asString(""))) {
            return MarkResult.REPLACED;
          }
          if (marking.deleting()) {
            // Released by someone else, or our element moved: the next event tells.
            return WorkflowApi.finalizerIndex(now.get()) < 0 ? MarkResult.MARKED
                : MarkResult.CHANGED;
          }
          if (WorkflowLabels.STATUS_ARCHIVED.equals(
              Workflows.labels(now.get()).get(WorkflowLabels.ARCHIVING_STATUS))) {
            return MarkResult.MARKED;
          }
          return MarkResult.CHANGED;
        default:
          throw new WorkflowApiException("PATCH", key, e.getCode(), clock.millis() - start, e);
      }
    }
  }

  /**
   * The finalizer's adder may append our finalizer between the worker's read (which saw none)
   * and the label PATCH, which then labels the workflow Archived without releasing it; or append
   * it after that PATCH, from a cache that does not keep labels. Either PATCH's answer shows it:
   * take it off at once, as the mark would have. If this fails the workflow is still released at
   * its deletion (it is Archived and its row exists).
   */
  private void releaseAddedSinceTheRead(WorkflowKey key, String uid,
      GenericKubernetesResource after) {
    List<String> finalizers = after.getMetadata().getFinalizers();
    int index = finalizers == null ? -1 : finalizers.indexOf(FinalizerApi.FINALIZER);
    if (index < 0) {
      return;
    }
    String at = "/metadata/finalizers/" + index;
    List<Map<String, Object>> ops = List.of(
        Map.of("op", "test", "path", "/metadata/uid", "value", uid),
        Map.of("op", "test", "path", at, "value", FinalizerApi.FINALIZER),
        Map.of("op", "remove", "path", at));
    try {
      jsonPatch(key, ops);
    } catch (KubernetesClientException e) {
      // Left for the deletion to release; the mark itself succeeded.
    }
  }

  @Override
  public boolean annotateQuarantine(WorkflowKey key, String uid, String json) {
    String patch = serialization.asJson(Map.of("metadata", Map.of(
        "uid", uid,
        "annotations", Map.of(QUARANTINE_ANNOTATION, json))));
    return patchQuarantine("PATCH (quarantine annotation)", key, PatchType.JSON_MERGE, patch,
        clock.millis());
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
            + escape(QUARANTINE_ANNOTATION))));
    return patchQuarantine("PATCH (remove quarantine annotation)", key, PatchType.JSON, patch,
        start);
  }

  /**
   * Sends a PATCH of the quarantine annotation: true when it applied, false when the workflow is
   * gone (404) or its uid precondition or "test" failed (409/422: re-created, or nothing to
   * remove). Other failures throw, with the time since {@code start}.
   */
  private boolean patchQuarantine(String verb, WorkflowKey key, PatchType type, String patch,
      long start) {
    try {
      Workflows.operation(client).inNamespace(key.namespace()).withName(key.name())
          .patch(PatchContext.of(type), patch);
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == NOT_FOUND || e.getCode() == CONFLICT || e.getCode() == UNPROCESSABLE) {
        return false;
      }
      throw new WorkflowApiException(verb, key, e.getCode(), clock.millis() - start, e);
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

  @Override
  public FinalizerApi.Result add(WorkflowKey key, String uid, String resourceVersion,
      List<String> finalizers) {
    List<Map<String, Object>> ops = new ArrayList<>();
    ops.add(Map.of("op", "test", "path", "/metadata/uid", "value", uid));
    if (finalizers.isEmpty()) {
      // No list to append to: adding one replaces any that appeared since the read, so the
      // object must be unchanged since then.
      ops.add(Map.of("op", "test", "path", "/metadata/resourceVersion", "value",
          resourceVersion));
      ops.add(Map.of("op", "add", "path", "/metadata/finalizers",
          "value", List.of(FINALIZER)));
    } else {
      // The list as read (so ours is not in it) gets ours appended; others stay as they are.
      ops.add(Map.of("op", "test", "path", "/metadata/finalizers", "value", finalizers));
      ops.add(Map.of("op", "add", "path", "/metadata/finalizers/-", "value", FINALIZER));
    }
    long start = clock.millis();
    GenericKubernetesResource after;
    try {
      after = jsonPatch(key, ops);
    } catch (KubernetesClientException e) {
      return finalizerPatchFailed("PATCH (add finalizer)", key, e, start);
    }
    // The adder reads a cache that does not keep labels: the worker may have labelled the
    // workflow Archived (its row committed) before this PATCH. The answer shows it; nothing is
    // left to hold, so the finalizer comes off at once instead of at the workflow's deletion.
    Map<String, String> labels = after == null || after.getMetadata() == null ? null
        : after.getMetadata().getLabels();
    if (labels != null && WorkflowLabels.STATUS_ARCHIVED.equals(
        labels.get(WorkflowLabels.ARCHIVING_STATUS))) {
      releaseAddedSinceTheRead(key, uid, after);
    }
    return FinalizerApi.Result.DONE;
  }

  @Override
  public FinalizerApi.Result remove(WorkflowKey key, String uid, List<String> finalizers) {
    int index = finalizers.indexOf(FINALIZER);
    if (index < 0) {
      return FinalizerApi.Result.DONE;
    }
    String at = "/metadata/finalizers/" + index;
    return patchFinalizers("PATCH (remove finalizer)", key, List.of(
        Map.of("op", "test", "path", "/metadata/uid", "value", uid),
        Map.of("op", "test", "path", at, "value", FINALIZER),
        Map.of("op", "remove", "path", at)));
  }

  private FinalizerApi.Result patchFinalizers(String verb, WorkflowKey key,
      List<Map<String, Object>> ops) {
    long start = clock.millis();
    try {
      jsonPatch(key, ops);
      return FinalizerApi.Result.DONE;
    } catch (KubernetesClientException e) {
      return finalizerPatchFailed(verb, key, e, start);
    }
  }

  /**
   * One JSON Patch of {@code key}; returns the API server's answer. Through resource(stub):
   * fabric8's patch(context, String) on a bare name first GETs the object, a hidden second
   * request per workflow; with an item it sends the PATCH alone.
   */
  private GenericKubernetesResource jsonPatch(WorkflowKey key, List<Map<String, Object>> ops) {
    return Workflows.operation(client).inNamespace(key.namespace()).resource(stub(key))
        .patch(PatchContext.of(PatchType.JSON), serialization.asJson(ops));
  }

  private FinalizerApi.Result finalizerPatchFailed(String verb, WorkflowKey key,
      KubernetesClientException e, long start) {
    switch (e.getCode()) {
      case NOT_FOUND:
        return FinalizerApi.Result.GONE;
      case CONFLICT:
      case UNPROCESSABLE:
        return FinalizerApi.Result.CHANGED;
      default:
        throw new WorkflowApiException(verb, key, e.getCode(), clock.millis() - start, e);
    }
  }

  /** The Workflow's path under the API server's root; namespaces and names need no escaping. */
  static String path(WorkflowKey key) {
    return "/apis/" + WorkflowLabels.GROUP + "/" + WorkflowLabels.VERSION + "/namespaces/"
        + key.namespace() + "/" + WorkflowLabels.PLURAL + "/" + key.name();
  }

  /** A name-only object: what fabric8 needs to address a PATCH without reading first. */
  private static GenericKubernetesResource stub(WorkflowKey key) {
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setApiVersion(WorkflowLabels.GROUP + "/" + WorkflowLabels.VERSION);
    r.setKind(WorkflowLabels.KIND);
    r.setMetadata(new ObjectMetaBuilder().withNamespace(key.namespace()).withName(key.name())
        .build());
    return r;
  }

  /** The JSON Pointer of a label: {@code /} in the key is {@code ~1}, {@code ~} is {@code ~0}. */
  static String labelPath(String label) {
    return "/metadata/labels/" + escape(label);
  }

  private static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }
}
