package dev.archivist.bench.memory;

import dev.archivist.controller.kube.Workflows;
import dev.archivist.core.WorkflowLabels;
import dev.archivist.workqueue.TokenBucket;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The baseline of Argo Workflows up to v3.5: a full-object informer over completed workflows
 * whose event handler archives the workflow itself, waiting for an archive token first. While
 * the handler waits, fabric8 queues every later notification of this informer (each pinning its
 * full objects) in the informer's unbounded serial executor: memory grows with pending events
 * times workflow size. That growth is what this mode exists to show; the blocking is deliberate.
 *
 * <p>Threads: fabric8's informer threads, one of which runs the handler serially. A failed
 * archive is logged and dropped, as Argo did then.
 */
final class NaiveArchiver implements ArchiverUnderTest {
  private final KubernetesClient client;
  private final TokenBucket tokens;
  private final ArchiveWriter writer;
  private final CountingItemStore<GenericKubernetesResource> store = new CountingItemStore<>();
  private final AtomicLong handled = new AtomicLong();
  private SharedIndexInformer<GenericKubernetesResource> informer;

  NaiveArchiver(KubernetesClient client, TokenBucket tokens, ArchiveWriter writer) {
    this.client = client;
    this.tokens = tokens;
    this.writer = writer;
  }

  @Override
  public void start() throws Exception {
    informer = Workflows.operation(client).inAnyNamespace()
        .withLabel(WorkflowLabels.COMPLETED, "true")
        .runnableInformer(0)
        .itemStore(store);
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(GenericKubernetesResource wf) {
        archiveNow(wf);
        handled.incrementAndGet();
      }

      @Override
      public void onUpdate(GenericKubernetesResource oldWf, GenericKubernetesResource wf) {
        archiveNow(wf);
        handled.incrementAndGet();
      }

      @Override
      public void onDelete(GenericKubernetesResource wf, boolean unknownFinalState) {
        handled.incrementAndGet();
      }
    });
    informer.start().toCompletableFuture().get(2, TimeUnit.MINUTES);
  }

  private void archiveNow(GenericKubernetesResource wf) {
    if (!BenchWorkflows.isArchivable(wf)) {
      return;
    }
    try {
      tokens.acquire(1);
      writer.archive(List.of(wf));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      System.err.println("naive: archiving " + BenchWorkflows.key(wf) + " failed: " + e);
    }
  }

  @Override
  public long pendingEvents() {
    return Math.max(0, store.changes() - handled.get());
  }

  @Override
  public long archived() {
    return writer.archived();
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
  }
}
