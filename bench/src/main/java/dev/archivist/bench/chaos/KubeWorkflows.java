package dev.archivist.bench.chaos;

import dev.archivist.controller.kube.Workflows;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * The campaign's writes to the API server, as Argo's controller and users make them, each retried
 * through an API server outage (no answer, 429, 5xx) for up to {@link #PATIENCE_NANOS}. Other
 * answers are the API server's verdict and are thrown to the caller.
 *
 * <p>Thread-safety: the fabric8 client is; this class holds nothing else.
 */
final class KubeWorkflows {
  private static final long PATIENCE_NANOS = 300_000_000_000L;

  private final KubernetesClient admin;

  KubeWorkflows(KubernetesClient admin) {
    this.admin = admin;
  }

  /** Creates {@code body}; returns the uid the server gave it. */
  String create(JsonNode body) {
    String ns = body.path("metadata").path("namespace").asString();
    String name = body.path("metadata").path("name").asString();
    GenericKubernetesResource r = admin.getKubernetesSerialization().unmarshal(
        ChaosWorkflows.JSON.writeValueAsString(body), GenericKubernetesResource.class);
    boolean[] tried = {false};
    return retrying("create " + ns + "/" + name, () -> {
      try {
        boolean again = tried[0];
        tried[0] = true;
        if (again) {
          GenericKubernetesResource got = get(ns, name);
          if (got != null && got.getMetadata().getDeletionTimestamp() == null
              && body.path("metadata").path("annotations").equals(
                  ChaosWorkflows.JSON.valueToTree(got.getMetadata().getAnnotations()))) {
            return got.getMetadata().getUid(); // an earlier attempt was stored, its answer lost
          }
        }
        return Workflows.operation(admin).inNamespace(ns).resource(r).create()
            .getMetadata().getUid();
      } catch (KubernetesClientException e) {
        throw e;
      }
    });
  }

  /** A JSON merge patch; returns the object after it. */
  GenericKubernetesResource mergePatch(String ns, String name, JsonNode patch) {
    String json = ChaosWorkflows.JSON.writeValueAsString(patch);
    return retrying("patch " + ns + "/" + name, () -> Workflows.operation(admin)
        .inNamespace(ns).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), json));
  }

  GenericKubernetesResource get(String ns, String name) {
    return retrying("get " + ns + "/" + name, () -> Workflows.operation(admin)
        .inNamespace(ns).withName(name).get());
  }

  void delete(String ns, String name) {
    retrying("delete " + ns + "/" + name, () -> Workflows.operation(admin)
        .inNamespace(ns).withName(name).delete());
  }

  /** Every workflow of the run, in every namespace. */
  List<GenericKubernetesResource> listRun(String runId) {
    return retrying("list the run's workflows", () -> Workflows.operation(admin)
        .inAnyNamespace().withLabel(ChaosWorkflows.RUN_LABEL, runId).list().getItems());
  }

  /**
   * Removes every workflow in {@code namespace}, finalizers first, so that an earlier run that was
   * interrupted leaves nothing for this one's replicas to read.
   */
  int purge(String namespace) {
    List<GenericKubernetesResource> all = retrying("list " + namespace, () ->
        Workflows.operation(admin).inNamespace(namespace).list().getItems());
    for (GenericKubernetesResource w : all) {
      List<String> finalizers = w.getMetadata().getFinalizers();
      if (finalizers != null && !finalizers.isEmpty()) {
        mergePatch(namespace, w.getMetadata().getName(),
            ChaosWorkflows.JSON.readTree("{\"metadata\":{\"finalizers\":null}}"));
      }
    }
    retrying("delete the workflows of " + namespace,
        () -> Workflows.operation(admin).inNamespace(namespace).delete());
    return all.size();
  }

  static boolean outage(KubernetesClientException e) {
    int c = e.getCode();
    return c <= 0 || c == 429 || c >= 500 || c == 408; // fabric8: -1 for no response
  }

  static <T> T retrying(String what, Supplier<T> call) {
    long start = System.nanoTime();
    long backoff = 200_000_000L;
    while (true) {
      try {
        return call.get();
      } catch (KubernetesClientException e) {
        if (!outage(e) || System.nanoTime() - start > PATIENCE_NANOS) {
          throw e;
        }
      }
      LockSupport.parkNanos(backoff);
      backoff = Math.min(backoff * 2, 2_000_000_000L);
    }
  }
}
