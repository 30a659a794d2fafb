package dev.archivist.bench.memory;

import dev.archivist.controller.kube.Workflows;
import dev.archivist.workqueue.RateLimitingQueue;
import dev.archivist.workqueue.TokenBucket;
import dev.archivist.workqueue.WorkQueues;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The baseline of Argo Workflows from v3.6: a full-object informer over all workflows (Argo's
 * controller needs them for its main job), an event handler that only queues the
 * {@code namespace/name} key of an archivable workflow, and workers that read the object from
 * the informer's cache and archive it. The handler never blocks, but the cache keeps every
 * pending workflow whole: memory grows with the backlog times the workflow size.
 *
 * <p>Threads: fabric8's informer threads (the handler only calls {@code queue.add}) and
 * {@code workers} archive workers. Each worker takes one key, fills a batch with keys that are
 * ready ({@code tryGet}), takes one archive token per workflow, writes the batch, and calls
 * {@code done} for every key it took. A failed batch requeues its keys with per-item backoff.
 */
final class ArgoArchiver implements ArchiverUnderTest {
  private final KubernetesClient client;
  private final TokenBucket tokens;
  private final ArchiveWriter writer;
  private final int workers;
  private final int batchSize;
  private final RateLimitingQueue<String> queue;
  private final List<Thread> threads = new ArrayList<>();
  private SharedIndexInformer<GenericKubernetesResource> informer;

  ArgoArchiver(KubernetesClient client, TokenBucket tokens, ArchiveWriter writer, int workers,
      int batchSize) {
    this.client = client;
    this.tokens = tokens;
    this.writer = writer;
    this.workers = workers;
    this.batchSize = batchSize;
    this.queue = WorkQueues.<String>builder().name("workflow_archive_queue").buildRateLimiting();
  }

  @Override
  public void start() throws Exception {
    informer = Workflows.operation(client).inAnyNamespace().runnableInformer(0);
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(GenericKubernetesResource wf) {
        enqueue(wf);
      }

      @Override
      public void onUpdate(GenericKubernetesResource oldWf, GenericKubernetesResource wf) {
        enqueue(wf);
      }

      @Override
      public void onDelete(GenericKubernetesResource wf, boolean unknownFinalState) {}
    });
    informer.start().toCompletableFuture().get(2, TimeUnit.MINUTES);
    for (int i = 0; i < workers; i++) {
      Thread t = new Thread(this::work, "argo-archive-worker-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  private void enqueue(GenericKubernetesResource wf) {
    if (BenchWorkflows.isArchivable(wf)) {
      queue.add(BenchWorkflows.key(wf));
    }
  }

  private void work() {
    while (true) {
      List<String> keys = new ArrayList<>(batchSize);
      try {
        String first = queue.get();
        if (first == null) {
          return;
        }
        keys.add(first);
        String next;
        while (keys.size() < batchSize && (next = queue.tryGet()) != null) {
          keys.add(next);
        }
        List<GenericKubernetesResource> batch = new ArrayList<>(keys.size());
        for (String key : keys) {
          GenericKubernetesResource wf = informer.getStore().getByKey(key);
          if (wf != null && BenchWorkflows.isArchivable(wf)) {
            batch.add(wf);
          }
        }
        if (!batch.isEmpty()) {
          tokens.acquire(batch.size());
          writer.archive(batch);
        }
        keys.forEach(queue::forget);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        // The worker loop is the boundary: requeue with backoff, as Argo does since v4.0.9.
        System.err.println("argo: archiving " + keys + " failed: " + e);
        keys.forEach(queue::addRateLimited);
      } finally {
        keys.forEach(queue::done);
      }
    }
  }

  @Override
  public long archived() {
    return writer.archived();
  }

  @Override
  public void close() {
    queue.shutDown();
    threads.forEach(Thread::interrupt);
    if (informer != null) {
      informer.close();
    }
  }
}
