package dev.archivist.bench.chaos;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import tools.jackson.databind.node.ObjectNode;

/**
 * The steady stream: {@code rate} workflows a second, each created Running and completed a second
 * later with one merge patch, as Argo's controller would; every {@code compressedEvery}-th one
 * completes with its nodes compressed over Argo's size limit. Each completed workflow goes into
 * the {@link Ledger} with the uid the API server gave it. Through an API server outage the writes
 * wait and retry, so the stream falls behind and catches up rather than losing workflows.
 *
 * <p>Threads: one pacing thread, and a pool that makes the API calls.
 */
final class WorkflowStream implements AutoCloseable {
  static final String[] NAMESPACES = {"chaos-a", "chaos-b"};

  private final KubeWorkflows kube;
  private final ChaosWorkflows bodies;
  private final Ledger ledger;
  private final double rate;
  private final int compressedEvery;
  private final AtomicInteger index;
  private final String runId;
  private final ExecutorService pool = Executors.newFixedThreadPool(8);
  private final Thread pacer;
  private final AtomicInteger started = new AtomicInteger();
  private final AtomicInteger completed = new AtomicInteger();
  private final AtomicLong failures = new AtomicLong();
  private volatile boolean stopped;
  private volatile String lastFailure = "";

  WorkflowStream(KubeWorkflows kube, ChaosWorkflows bodies, Ledger ledger, double rate,
      int compressedEvery, AtomicInteger index, String runId) {
    this.kube = kube;
    this.bodies = bodies;
    this.ledger = ledger;
    this.rate = rate;
    this.compressedEvery = compressedEvery;
    this.index = index;
    this.runId = runId;
    this.pacer = new Thread(this::pace, "chaos-stream");
    pacer.setDaemon(true);
  }

  void start() {
    pacer.start();
  }

  private void pace() {
    long period = (long) (1e9 / rate);
    long next = System.nanoTime();
    while (!stopped) {
      int i = index.getAndIncrement();
      started.incrementAndGet();
      pool.submit(() -> one(i));
      next += period;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
    }
  }

  private void one(int i) {
    String ns = NAMESPACES[i % NAMESPACES.length];
    String name = runId + "-" + i;
    try {
      String uid = kube.create(bodies.running(i, ns, name));
      LockSupport.parkNanos(1_000_000_000L);
      boolean compress = compressedEvery > 0 && i % compressedEvery == compressedEvery - 1;
      String marker = "stream-1";
      ObjectNode completion = bodies.completion(i, marker, compress);
      kube.mergePatch(ns, name, completion);
      ledger.put(new Ledger.Entry(ns, name, uid, compress ? "compressed" : "stream",
          Ledger.Expect.ARCHIVED, ChaosWorkflows.phaseOf(completion), marker, System.nanoTime(),
          true));
      completed.incrementAndGet();
    } catch (RuntimeException e) {
      failures.incrementAndGet();
      lastFailure = name + ": " + e;
    }
  }

  int started() {
    return started.get();
  }

  int completed() {
    return completed.get();
  }

  long failures() {
    return failures.get();
  }

  String lastFailure() {
    return lastFailure;
  }

  /** Stops making workflows and waits for the ones begun to be completed. */
  @Override
  public void close() {
    stopped = true;
    try {
      pacer.join(5000);
      pool.shutdown();
      pool.awaitTermination(5, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
