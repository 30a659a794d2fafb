package dev.archivist.bench.memory;

import dev.archivist.controller.kube.Workflows;
import dev.archivist.core.WorkflowLabels;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Creates the benchmark's workflows through the Kubernetes API, as Argo's controller would: each
 * workflow is created Running, updated {@code updates} times with a growing {@code status.nodes},
 * and finally updated to its completed version (completed label, final phase, finishedAt). A pacer
 * thread starts workflows at {@code qps}; {@code clients} worker threads, each with its own
 * client, carry them through their versions, so the API server sees parallel writers.
 *
 * <p>Threads: one pacer, {@code clients} workers, one that reports the end. Counters are atomics;
 * nothing else is shared. A write that fails is retried three times, then the workflow is counted
 * as a failure and left as it is (it never completes, so the orchestrator does not wait for it).
 */
final class LoadGenerator {
  record Progress(int created, int completed, int failures) {}

  record Summary(long millis, int completed, int failures) {}

  private static final int ATTEMPTS = 4;

  private final String masterUrl;
  private final WorkflowFactory factory;
  private final int workflows;
  private final int updates;
  private final double qps;
  private final int clients;
  private final AtomicInteger created = new AtomicInteger();
  private final AtomicInteger completed = new AtomicInteger();
  private final AtomicInteger failures = new AtomicInteger();

  LoadGenerator(String masterUrl, WorkflowFactory factory, int workflows, int updates,
      double qps, int clients) {
    this.masterUrl = masterUrl;
    this.factory = factory;
    this.workflows = workflows;
    this.updates = updates;
    this.qps = qps;
    this.clients = clients;
  }

  static KubernetesClient client(String masterUrl) {
    Config config = new ConfigBuilder(Config.empty())
        .withMasterUrl(masterUrl)
        .withRequestTimeout(60_000)
        .withConnectionTimeout(10_000)
        .withRequestRetryBackoffLimit(0)
        .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  Progress progress() {
    return new Progress(created.get(), completed.get(), failures.get());
  }

  void start(Consumer<Summary> onDone) {
    BlockingQueue<Integer> due = new LinkedBlockingQueue<>();
    long startNanos = System.nanoTime();
    Thread pacer = new Thread(() -> {
      long intervalNanos = (long) (1e9 / qps);
      for (int i = 0; i < workflows; i++) {
        long at = startNanos + i * intervalNanos;
        long wait;
        while ((wait = at - System.nanoTime()) > 0) {
          LockSupport.parkNanos(wait);
        }
        due.add(i);
      }
      for (int c = 0; c < clients; c++) {
        due.add(-1);
      }
    }, "generator-pacer");
    pacer.setDaemon(true);
    CountDownLatch finished = new CountDownLatch(clients);
    List<Thread> workers = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      Thread t = new Thread(() -> {
        try (KubernetesClient client = client(masterUrl)) {
          while (true) {
            int index = due.take();
            if (index < 0) {
              return;
            }
            runWorkflow(client, index);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          finished.countDown();
        }
      }, "generator-" + c);
      t.setDaemon(true);
      workers.add(t);
    }
    Thread reporter = new Thread(() -> {
      try {
        finished.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      onDone.accept(new Summary((System.nanoTime() - startNanos) / 1_000_000, completed.get(),
          failures.get()));
    }, "generator-done");
    reporter.setDaemon(true);
    pacer.start();
    workers.forEach(Thread::start);
    reporter.start();
  }

  private void runWorkflow(KubernetesClient client, int index) {
    if (writeVersions(client, index, WorkflowFactory.namespace(index))) {
      completed.incrementAndGet();
    } else {
      failures.incrementAndGet();
    }
  }

  /**
   * Writes every version of workflow {@code index} into {@code namespace}: a POST, then one
   * unconditional PUT per later version. The bodies go out as JSON text through the client's raw
   * call, so the generator spends its CPU on the API server rather than on object mapping.
   *
   * @return false when a write failed {@value #ATTEMPTS} times
   */
  boolean writeVersions(KubernetesClient client, int index, String namespace) {
    String collection = "/apis/" + WorkflowLabels.GROUP + "/" + WorkflowLabels.VERSION
        + "/namespaces/" + namespace + "/" + WorkflowLabels.PLURAL;
    String name = WorkflowFactory.name(index);
    for (int step = 0; step <= updates + 1; step++) {
      var version = factory.version(index, step);
      version.withObject("metadata").put("namespace", namespace);
      String body = WorkflowFactory.toJson(version);
      boolean written = false;
      for (int attempt = 1; attempt <= ATTEMPTS && !written; attempt++) {
        try {
          if (step == 0) {
            client.raw(collection, "POST", body);
          } else {
            client.raw(collection + "/" + name, "PUT", body);
          }
          written = true;
        } catch (KubernetesClientException e) {
          if (step == 0 && e.getCode() == 409) {
            written = true; // a create that timed out after the server stored it
          } else if (attempt == ATTEMPTS) {
            System.err.println("generator: giving up on " + namespace + "/" + name + " at step "
                + step + " after " + ATTEMPTS + " attempts: HTTP " + e.getCode() + " "
                + e.getMessage());
            return false;
          }
        }
      }
      if (step == 0) {
        created.incrementAndGet();
      }
    }
    return true;
  }

  /**
   * Runs {@code count} workflows through all their versions in a namespace no mode looks at
   * (the modes start later), then deletes them: the JIT of both the API server and the generator
   * is warm before the measured run begins.
   */
  void warmUp(int count) throws InterruptedException {
    String namespace = "membench-warmup";
    Thread[] threads = new Thread[clients];
    for (int c = 0; c < clients; c++) {
      int first = c;
      threads[c] = new Thread(() -> {
        try (KubernetesClient client = client(masterUrl)) {
          for (int i = first; i < count; i += clients) {
            writeVersions(client, i, namespace);
            Workflows.operation(client).inNamespace(namespace)
                .withName(WorkflowFactory.name(i)).delete();
          }
        }
      }, "generator-warmup-" + c);
      threads[c].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    created.set(0);
  }
}
