package dev.archivist.controller.finalizer;

import dev.archivist.controller.informer.DropSignal;
import dev.archivist.controller.informer.InformerSelector;
import dev.archivist.controller.informer.KeySweeper;
import dev.archivist.controller.informer.WorkflowInformers;
import dev.archivist.controller.kube.FinalizerApi;
import dev.archivist.controller.kube.KubeOutages;
import dev.archivist.core.LabelSelector;
import dev.archivist.core.WorkflowKey;
import dev.archivist.workqueue.RateLimitingQueue;
import dev.archivist.workqueue.WorkQueue;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --finalizer}: holds every workflow Archivist may archive in the cluster until its row
 * is committed.
 *
 * <h2>How</h2>
 * Its own informers (one per watched namespace, or one for all) list in pages and watch the
 * metadata of <em>every</em> workflow of this Argo instance, running or completed, with a
 * reduced cache (key, resourceVersion, uid, finalizers, deletionTimestamp) and no resync. Their
 * handler ({@link FinalizerHandler}) sends a workflow that lacks our finalizer to the add queue,
 * whose single thread ({@link FinalizerAdder}) adds it with one JSON Patch each, within
 * {@code --kube-qps}; and it sends a workflow that is being deleted and holds our finalizer to the
 * archive queue. The archive worker archives that one as it is and releases it: the finalizer
 * leaves in the same PATCH as the Archived label, or alone for a workflow being deleted.
 *
 * <p>The archive worker reads whether a key is being deleted through {@link #deleting}, since a
 * running workflow is not in the archive informer: it reads such a key with a GET.
 *
 * <h2>Threads</h2>
 * fabric8's informer threads run the handler (queue calls only); one adder thread runs
 * {@link FinalizerAdder}; {@link #start} and {@link #close} run on the archive controller's
 * lifecycle, so under leader election only the leader adds. The read methods may be called from
 * any thread (the informers' stores are concurrent). No lock here.
 */
public final class Finalizers implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Finalizers.class);
  private static final Duration STOP_WAIT = Duration.ofSeconds(5);

  private final WorkflowInformers informers;
  private final RateLimitingQueue<WorkflowKey> adds;
  private final Thread adder;
  private final KeySweeper sweeper;

  private Finalizers(WorkflowInformers informers, RateLimitingQueue<WorkflowKey> adds,
      Thread adder, DropSignal drops) {
    this.informers = informers;
    this.adds = adds;
    this.adder = adder;
    this.sweeper = new KeySweeper(informers::forEachKey, adds, drops);
  }

  /**
   * Builds the informers, the add queue's worker and its thread; nothing runs yet.
   *
   * @param adds the add queue, owned (shut down) by this component
   * @param drops told by the add queue's metrics of every key dropped at capacity
   * @param archive the archive queue, which receives workflows being deleted with our finalizer
   * @param fence false once this instance may no longer write
   */
  public static Finalizers create(KubernetesClient client, List<String> namespaces,
      String instanceId, LabelSelector archiveSelector, RateLimitingQueue<WorkflowKey> adds,
      DropSignal drops, WorkQueue<WorkflowKey> archive, FinalizerApi api, int maxRetries,
      BooleanSupplier fence, KubeOutages outages, ThreadFactory threads) {
    Objects.requireNonNull(adds, "adds");
    WorkflowInformers informers = WorkflowInformers.build(client, namespaces,
        InformerSelector.render(InformerSelector.instanceScope(instanceId)), "finalizer",
        "Workflows (all, for the finalizer)",
        new FinalizerHandler(archiveSelector, adds, archive),
        "metadata.uid", "metadata.finalizers", "metadata.deletionTimestamp");
    FinalizerAdder worker = new FinalizerAdder(adds, informers::cached, api, maxRetries, fence,
        outages);
    return new Finalizers(informers, adds, threads.newThread(worker), drops);
  }

  /** Starts the adder thread and the informers; returns at once. */
  public void start() {
    log.info("finalizer: adding {} to every workflow that may be archived; one deleted before "
        + "it is archived is archived as it is, then released", FinalizerApi.FINALIZER);
    adder.start();
    informers.start();
  }

  /**
   * Whether {@code key} is being deleted and held by our finalizer, as the informers last saw
   * it: the archive worker reads it with a GET, whatever its state.
   */
  public boolean deleting(WorkflowKey key) {
    GenericKubernetesResource r = informers.cached(key);
    return r != null && r.getMetadata().getDeletionTimestamp() != null
        && FinalizerHandler.holdsOurs(r.getMetadata().getFinalizers());
  }

  /** The resourceVersion the informers hold for {@code key}, or null. */
  public String resourceVersion(WorkflowKey key) {
    return informers.resourceVersion(key);
  }

  /**
   * The periodic sweep of the add queue: after it dropped keys at capacity, every key the
   * informers hold is offered again (the adder skips those that have our finalizer already).
   */
  public Runnable sweeper() {
    return sweeper;
  }

  /**
   * The informers over every workflow of the instance: until they have listed, or while they
   * are refused, the controller cannot hold what it is meant to hold, and is not ready.
   */
  public WorkflowInformers informers() {
    return informers;
  }

  /** Stops the informers, then the adder after the PATCH it is in. */
  @Override
  public void close() {
    informers.close();
    adds.shutDown();
    try {
      adder.join(STOP_WAIT.toMillis());
      if (adder.isAlive()) {
        adder.interrupt();
        adder.join(STOP_WAIT.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
