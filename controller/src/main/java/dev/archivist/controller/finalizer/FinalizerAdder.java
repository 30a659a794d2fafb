package dev.archivist.controller.finalizer;

import dev.archivist.controller.kube.FinalizerApi;
import dev.archivist.controller.kube.KubeOutages;
import dev.archivist.controller.kube.WorkflowApiException;
import dev.archivist.core.WorkflowKey;
import dev.archivist.workqueue.RateLimitingQueue;
import dev.archivist.workqueue.WorkerLoop;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The add queue's worker: takes a key, looks the workflow up in the finalizer informer's cache,
 * and adds our finalizer with one JSON Patch ({@link FinalizerApi#add}) if it still lacks it.
 * Every key taken gets {@code done}, in a {@code finally}.
 *
 * <p>The PATCH goes through the workers' client, so it takes its token from the same
 * {@code --kube-qps} budget as archiving; with one such thread, adding costs at most one request
 * in flight. A test that fails (the object changed since the cache saw it) forgets the key: the
 * change is an event, and the event brings the key back with the new state. An API outage or
 * another failure retries with the queue's per-item backoff, up to {@code maxRetries}; after
 * that the workflow goes without our finalizer (as without {@code --finalizer}), logged at WARN,
 * and its next event tries again.
 *
 * <p>A boundary: {@link #run} catches what one key throws and goes on.
 */
final class FinalizerAdder implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(FinalizerAdder.class);

  private final RateLimitingQueue<WorkflowKey> queue;
  private final Function<WorkflowKey, GenericKubernetesResource> cache;
  private final FinalizerApi api;
  private final int maxRetries;
  private final BooleanSupplier fence;
  private final KubeOutages outages;

  /**
   * @param cache what the finalizer informer holds of a key (uid, resourceVersion, finalizers,
   *     deletionTimestamp), or null
   * @param fence false once this instance may no longer write (it lost the lease)
   */
  FinalizerAdder(RateLimitingQueue<WorkflowKey> queue,
      Function<WorkflowKey, GenericKubernetesResource> cache, FinalizerApi api, int maxRetries,
      BooleanSupplier fence, KubeOutages outages) {
    this.queue = Objects.requireNonNull(queue, "queue");
    this.cache = Objects.requireNonNull(cache, "cache");
    this.api = Objects.requireNonNull(api, "api");
    this.maxRetries = maxRetries;
    this.fence = Objects.requireNonNull(fence, "fence");
    this.outages = Objects.requireNonNull(outages, "outages");
  }

  @Override
  public void run() {
    WorkerLoop.run(queue, this::process, (key, e) -> log.error(
        "finalizer: unexpected failure adding the finalizer to {}; retrying with backoff", key,
        e));
  }

  /** One key: the caller owns {@code done}. */
  void process(WorkflowKey key) {
    GenericKubernetesResource cached = cache.apply(key);
    if (cached == null || cached.getMetadata() == null) {
      queue.forget(key); // gone, or no longer of this instance
      return;
    }
    ObjectMeta meta = cached.getMetadata();
    List<String> finalizers = meta.getFinalizers() == null ? List.of() : meta.getFinalizers();
    if (meta.getDeletionTimestamp() != null || FinalizerHandler.holdsOurs(finalizers)
        || meta.getUid() == null) {
      queue.forget(key); // being deleted (no finalizer may be added) or added already
      return;
    }
    if (!fence.getAsBoolean()) {
      return; // no fresh lease: the next leader adds it from its own informer's first list
    }
    FinalizerApi.Result result;
    try {
      result = api.add(key, meta.getUid(), meta.getResourceVersion(), finalizers);
    } catch (WorkflowApiException e) {
      if (KubeOutages.isOutage(e.code())) {
        outages.failed(e.code(), e.getMessage());
        queue.addRateLimited(key);
        return;
      }
      int failures = queue.numRequeues(key) + 1;
      if (failures >= maxRetries) {
        log.warn("finalizer: could not add the finalizer to {} after {} attempts; it goes "
            + "without one until its next change: {}", key, failures, e.getMessage());
        queue.forget(key);
      } else {
        log.debug("finalizer: adding the finalizer to {} failed, retrying: {}", key,
            e.getMessage());
        queue.addRateLimited(key);
      }
      return;
    }
    outages.succeeded();
    queue.forget(key);
    log.debug("finalizer: {} {}", key, result);
  }
}
