package dev.archivist.bench.controller;

import dev.archivist.controller.informer.KeyEnqueuer;
import dev.archivist.core.WorkflowKey;
import dev.archivist.core.WorkflowLabels;
import dev.archivist.metrics.WorkQueueMetrics;
import dev.archivist.workqueue.RateLimiters;
import dev.archivist.workqueue.RateLimitingQueue;
import dev.archivist.workqueue.WorkQueues;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The informers' event handler, {@link KeyEnqueuer}, per event, on the queue the controller
 * builds (named {@code archive}, bounded, rate-limiting, exporting its metrics to a Prometheus
 * registry). Run it with {@code bench/handler}; the target is 10 µs per event (see
 * docs/architecture.md, The event handler's cost).
 *
 * <ul>
 *   <li>{@code update_keyAlreadyQueued}: the common case while archiving is behind: updates of
 *       workflows whose keys are already waiting. The add is deduplicated.
 *   <li>{@code update_newKey_thenTakenAndDone}: a key not yet queued, plus the worker's
 *       {@code tryGet} and {@code done} that take it out again (so the queue does not grow). An
 *       upper bound for a first event.
 *   <li>{@code update_queueFull_dropped}: the queue at capacity; the key is dropped and counted.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HandlerBenchmark {
  private static final int OBJECTS = 1 << 12;
  private static final int MASK = OBJECTS - 1;

  /** The controller's queue and handler over a ring of distinct workflow objects. */
  @State(Scope.Thread)
  public static class Handler {
    RateLimitingQueue<WorkflowKey> queue;
    KeyEnqueuer handler;
    final GenericKubernetesResource[] objects = new GenericKubernetesResource[OBJECTS];
    int next;

    void build(int capacity) {
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      queue = WorkQueues.<WorkflowKey>builder()
          .name("archive")
          .capacity(capacity)
          .rateLimiter(RateLimiters.exponentialFailure(Duration.ofMillis(500),
              Duration.ofMinutes(5)))
          .metrics(WorkQueueMetrics.provider(registry))
          .buildRateLimiting();
      handler = new KeyEnqueuer(queue);
      for (int i = 0; i < OBJECTS; i++) {
        objects[i] = workflow("team-" + (i % 16), "pipeline-run-" + i + "-x7k2p");
      }
    }

    GenericKubernetesResource nextObject() {
      GenericKubernetesResource o = objects[next];
      next = (next + 1) & MASK;
      return o;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      queue.shutDown();
    }
  }

  /** Every key is queued before measuring, and stays queued (nobody takes them). */
  @State(Scope.Thread)
  public static class Backlog extends Handler {
    @Setup(Level.Trial)
    public void setUp() {
      build(100_000);
      for (GenericKubernetesResource o : objects) {
        handler.onAdd(o);
      }
    }
  }

  /** An empty queue that the benchmark drains itself. */
  @State(Scope.Thread)
  public static class Empty extends Handler {
    @Setup(Level.Trial)
    public void setUp() {
      build(100_000);
    }
  }

  /** A queue at capacity (one key queued that nobody takes, capacity 1). */
  @State(Scope.Thread)
  public static class Full extends Handler {
    @Setup(Level.Trial)
    public void setUp() {
      build(1);
      queue.add(new WorkflowKey("other", "occupies-the-only-slot"));
    }
  }

  @Benchmark
  public void update_keyAlreadyQueued(Backlog s) {
    GenericKubernetesResource o = s.nextObject();
    s.handler.onUpdate(o, o);
  }

  @Benchmark
  public WorkflowKey update_newKey_thenTakenAndDone(Empty s) {
    GenericKubernetesResource o = s.nextObject();
    s.handler.onUpdate(o, o);
    WorkflowKey taken = s.queue.tryGet();
    s.queue.done(taken);
    return taken;
  }

  @Benchmark
  public void update_queueFull_dropped(Full s) {
    GenericKubernetesResource o = s.nextObject();
    s.handler.onUpdate(o, o);
  }

  /** A workflow as the informer hands it over: metadata with Argo's labels. */
  static GenericKubernetesResource workflow(String ns, String name) {
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setApiVersion("argoproj.io/v1alpha1");
    r.setKind("Workflow");
    r.setMetadata(new ObjectMetaBuilder()
        .withNamespace(ns)
        .withName(name)
        .withUid("6f1c2a9e-3b7d-4c1e-9a53-" + Integer.toHexString(name.hashCode()))
        .withResourceVersion("123456")
        .withLabels(Map.of(
            WorkflowLabels.COMPLETED, "true",
            WorkflowLabels.PHASE, "Succeeded",
            "workflows.argoproj.io/workflow-template", "nightly"))
        .build());
    return r;
  }
}
