package dev.archivist.bench.memory;

import dev.archivist.controller.kube.Workflows;
import dev.archivist.core.WorkflowLabels;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plays Argo's workflow garbage collection in the API JVM: deletes a workflow as soon as it is
 * labelled {@code Archived}. Every mode gets it, so the cluster holds only workflows that are
 * running or waiting to be archived. Without it, a full-object informer over all workflows (the
 * argo mode) would grow with every workflow ever created rather than with the backlog, which
 * would measure the absence of a TTL, not the archiver's design.
 *
 * <p>The watch thread only hands names to two deleting threads; deletes are idempotent, so
 * a duplicate event costs one 404.
 */
final class ArchivedSweeper {
  private final AtomicLong deleted = new AtomicLong();
  // Two threads, so that one request's round trip does not idle the API server.
  private final ExecutorService deleter = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "archived-sweeper");
    t.setDaemon(true);
    return t;
  });

  private ArchivedSweeper() {}

  static ArchivedSweeper start(String masterUrl) {
    ArchivedSweeper sweeper = new ArchivedSweeper();
    KubernetesClient client = LoadGenerator.client(masterUrl);
    Workflows.operation(client).inAnyNamespace()
        .withLabel(WorkflowLabels.ARCHIVING_STATUS, WorkflowLabels.STATUS_ARCHIVED)
        .watch(new Watcher<GenericKubernetesResource>() {
          @Override
          public void eventReceived(Action action, GenericKubernetesResource wf) {
            if (action == Action.ADDED || action == Action.MODIFIED) {
              String ns = wf.getMetadata().getNamespace();
              String name = wf.getMetadata().getName();
              sweeper.deleter.execute(() -> sweeper.delete(client, ns, name));
            }
          }

          @Override
          public void onClose(WatcherException cause) {
            System.err.println("sweeper: watch closed: " + cause);
          }
        });
    return sweeper;
  }

  private void delete(KubernetesClient client, String namespace, String name) {
    try {
      Workflows.operation(client).inNamespace(namespace).withName(name).delete();
      deleted.incrementAndGet();
    } catch (KubernetesClientException e) {
      System.err.println("sweeper: could not delete " + namespace + "/" + name + ": HTTP "
          + e.getCode() + " " + e.getMessage());
    }
  }

  long deleted() {
    return deleted.get();
  }
}
