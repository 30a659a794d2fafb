package dev.archivist.controller.finalizer;

import dev.archivist.controller.informer.InformerSelector;
import dev.archivist.controller.kube.FinalizerApi;
import dev.archivist.controller.kube.WorkflowApiException;
import dev.archivist.controller.kube.Workflows;
import dev.archivist.core.WorkflowKey;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PartialObjectMetadata;
import io.fabric8.kubernetes.api.model.PartialObjectMetadataList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * {@code archivist release-finalizers}: removes {@link FinalizerApi#FINALIZER} from every
 * workflow of an Argo instance in the given namespaces (all when none), so that nothing is left
 * waiting for a controller that is gone.
 *
 * <p>It lists metadata only, in pages of {@value #PAGE_SIZE} (whatever the workflows' size, a
 * page costs a few hundred bytes per workflow), and sends one JSON Patch per workflow that holds
 * our finalizer, testing its uid and the element it removes; a workflow that changed between the
 * page and the patch is read again, up to {@value #ATTEMPTS} times. It runs on the calling thread
 * and returns what it did; a failure of one workflow is counted and reported, and the rest go on.
 *
 * <p>Run it with the controller stopped, or with {@code --finalizer} off: a controller with the
 * finalizer on adds it back to every workflow it sees without it.
 */
public final class FinalizerRelease {
  static final long PAGE_SIZE = 500;
  static final int ATTEMPTS = 5;

  /** What a run did: workflows listed, holding our finalizer, released, and failed. */
  public record Summary(long listed, long held, long released, long failed) {}

  private final KubernetesClient client;
  private final FinalizerApi api;

  public FinalizerRelease(KubernetesClient client, Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    this.api = FinalizerApi.fabric8(client, clock);
  }

  /**
   * Releases every workflow of {@code instanceId} in {@code namespaces} (all when empty).
   *
   * @param dryRun list and count only
   * @param progress told one line per page and per workflow that failed
   * @throws KubernetesClientException when a list fails (no permission, server down)
   */
  public Summary run(List<String> namespaces, String instanceId, boolean dryRun,
      Consumer<String> progress) {
    String selector = InformerSelector.render(InformerSelector.instanceScope(instanceId));
    long[] counts = new long[4];
    for (String scope : namespaces.isEmpty() ? List.of("*") : namespaces) {
      String token = null;
      do {
        var op = Workflows.operation(client);
        var scoped = "*".equals(scope) ? op.inAnyNamespace() : op.inNamespace(scope);
        PartialObjectMetadataList page = scoped.withLabelSelector(selector)
            .listAsPartialObjectMetadata(new ListOptionsBuilder().withLimit(PAGE_SIZE)
                .withContinue(token).build());
        List<PartialObjectMetadata> items = page.getItems() == null ? List.of()
            : page.getItems();
        for (PartialObjectMetadata item : items) {
          counts[0]++;
          ObjectMeta meta = item.getMetadata();
          if (!FinalizerHandler.holdsOurs(meta.getFinalizers())) {
            continue;
          }
          counts[1]++;
          if (dryRun) {
            continue;
          }
          WorkflowKey key = new WorkflowKey(meta.getNamespace(), meta.getName());
          String failure = release(key, meta);
          if (failure == null) {
            counts[2]++;
          } else {
            counts[3]++;
            progress.accept("could not release " + key + ": " + failure);
          }
        }
        token = page.getMetadata() == null ? null : page.getMetadata().getContinue();
        progress.accept(String.format("%s: %d workflows listed, %d held by %s, %d %s, %d failed",
            "*".equals(scope) ? "all namespaces" : "namespace " + scope, counts[0], counts[1],
            FinalizerApi.FINALIZER, dryRun ? counts[1] : counts[2],
            dryRun ? "would be released" : "released", counts[3]));
      } while (token != null && !token.isEmpty());
    }
    return new Summary(counts[0], counts[1], counts[2], counts[3]);
  }

  /** Releases one workflow; returns null when done (or gone), else why not. */
  private String release(WorkflowKey key, ObjectMeta listed) {
    ObjectMeta meta = listed;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      FinalizerApi.Result result;
      try {
        result = api.remove(key, meta.getUid(), meta.getFinalizers());
      } catch (WorkflowApiException e) {
        return e.getMessage();
      }
      if (result != FinalizerApi.Result.CHANGED) {
        return null;
      }
      PartialObjectMetadata now;
      try {
        now = Workflows.operation(client).inNamespace(key.namespace()).withName(key.name())
            .getAsPartialObjectMetadata();
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          return null;
        }
        return "GET failed with HTTP " + e.getCode() + ": " + e.getMessage();
      }
      if (now == null || !listed.getUid().equals(now.getMetadata().getUid())
          || !FinalizerHandler.holdsOurs(now.getMetadata().getFinalizers())) {
        return null; // gone, re-created, or released meanwhile
      }
      meta = now.getMetadata();
    }
    return "it kept changing; " + ATTEMPTS + " attempts";
  }
}
