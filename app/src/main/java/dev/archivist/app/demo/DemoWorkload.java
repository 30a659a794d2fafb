package dev.archivist.app.demo;

import static java.net.HttpURLConnection.HTTP_CONFLICT;

import dev.archivist.controller.kube.Workflows;
import dev.archivist.core.WorkflowLabels;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The demo's workload: creates {@code workflows} Argo Workflows in the (mock) cluster and drives
 * each through its life as Argo's controller would: created Running, a few status updates that
 * grow its {@code nodes}, then Succeeded, Failed or Error with {@code finishedAt} and the
 * {@code completed} and phase labels. Sizes vary between the bounds through the node count.
 *
 * <p>Memory: at most {@code maxInFlight} workflows are alive at once, each held as a small
 * {@link WorkflowShapes.Plan}; the JSON of a step is built just before it is sent and dropped
 * after. So the generator's heap does not grow with {@code workflows} or their size.
 *
 * <p>Threads: one daemon thread does all the work, round-robin over the workflows in flight.
 * Its counters are atomics that any thread may read. {@link #close()} stops and joins it.
 */
public final class DemoWorkload implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DemoWorkload.class);
  private static final int ATTEMPTS = 5;

  /**
   * What to generate.
   *
   * @param workflows how many
   * @param minBytes the smallest target JSON size
   * @param maxBytes the largest target JSON size (sizes are drawn log-uniformly in between)
   * @param maxInFlight how many run at once
   * @param seed the random seed: the same seed gives the same workflows
   */
  public record Options(int workflows, int minBytes, int maxBytes, int maxInFlight, long seed) {
    public Options {
      if (workflows < 0 || minBytes < 1 || maxBytes < minBytes || maxInFlight < 1) {
        throw new IllegalArgumentException("invalid demo workload " + workflows + " workflows, "
            + minBytes + ".." + maxBytes + " bytes, " + maxInFlight + " in flight");
      }
    }
  }

  private static final class InFlight {
    final WorkflowShapes.Plan plan;
    final int steps;
    int step;
    int failures;

    InFlight(WorkflowShapes.Plan plan, int steps) {
      this.plan = plan;
      this.steps = steps;
    }
  }

  private final KubernetesClient client;
  private final Options options;
  private final Clock clock;
  private final WorkflowShapes shapes = new WorkflowShapes();
  private final Random random;
  private final AtomicInteger created = new AtomicInteger();
  private final AtomicInteger completed = new AtomicInteger();
  private final AtomicInteger abandoned = new AtomicInteger();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final Thread thread;
  private volatile boolean stopped;

  private DemoWorkload(KubernetesClient client, Options options, Clock clock) {
    this.client = client;
    this.options = options;
    this.clock = clock;
    this.random = new Random(options.seed());
    this.thread = new Thread(this::runLoop, "demo-workload");
    this.thread.setDaemon(true);
  }

  /** Starts generating on a thread of its own; the caller must {@link #close()} it. */
  public static DemoWorkload start(KubernetesClient client, Options options, Clock clock) {
    DemoWorkload w = new DemoWorkload(Objects.requireNonNull(client), options, clock);
    w.thread.start();
    return w;
  }

  /** Workflows created so far. */
  public int created() {
    return created.get();
  }

  /** Workflows driven to a completed phase so far. */
  public int completed() {
    return completed.get();
  }

  /** Workflows given up on after repeated API errors (each is logged). */
  public int abandoned() {
    return abandoned.get();
  }

  /** Whether every workflow has completed or been given up on, or the workload failed. */
  public boolean isDone() {
    return completed.get() + abandoned.get() >= options.workflows() || failure.get() != null
        || !thread.isAlive();
  }

  /** What stopped the workload early, if anything did. */
  public Throwable failure() {
    return failure.get();
  }

  @Override
  public void close() {
    stopped = true;
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void runLoop() {
    Deque<InFlight> inFlight = new ArrayDeque<>();
    int planned = 0;
    try {
      while (!stopped && completed.get() + abandoned.get() < options.workflows()) {
        InFlight w;
        if (inFlight.size() < options.maxInFlight() && planned < options.workflows()) {
          w = new InFlight(shapes.plan(random, drawSize(), clock.instant()),
              2 + random.nextInt(3));
          planned++;
        } else {
          w = inFlight.pollFirst();
          if (w == null) {
            break;
          }
        }
        if (attempt(w)) {
          if (w.step == 1) {
            created.incrementAndGet();
          }
          if (w.step > w.steps) {
            completed.incrementAndGet();
            continue;
          }
        }
        if (w.failures < ATTEMPTS) {
          inFlight.addLast(w);
        }
      }
    } catch (RuntimeException e) {
      // The thread's boundary: record what stopped the workload for the demo to report.
      failure.set(e);
      log.error("the demo workload stopped: {}", e.toString());
    }
  }

  /** Sends {@code w}'s next step; true when it was accepted and the step advanced. */
  private boolean attempt(InFlight w) {
    WorkflowShapes.Plan p = w.plan;
    try {
      if (w.step == 0) {
        ObjectNode body = shapes.created(p);
        GenericKubernetesResource resource = client.getKubernetesSerialization()
            .unmarshal(body.toString(), GenericKubernetesResource.class);
        Workflows.operation(client).inNamespace(p.namespace())
            .resource(resource).create();
      } else {
        ObjectNode patch = w.step < w.steps ? shapes.progress(p, w.step, w.steps)
            : shapes.completed(p, w.steps, clock.instant());
        Workflows.operation(client).inNamespace(p.namespace())
            .withName(p.name()).patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
      }
      w.step++;
      w.failures = 0;
      return true;
    } catch (KubernetesClientException e) {
      if (w.step == 0 && e.getCode() == HTTP_CONFLICT) {
        // Names are unique to this run, so an earlier attempt that timed out on our side was
        // created by the server after all: carry on from there.
        w.step++;
        w.failures = 0;
        return true;
      }
      if (++w.failures >= ATTEMPTS) {
        abandoned.incrementAndGet();
        log.warn("demo: gave up on workflow {}/{} at step {} after {} API errors; last: HTTP {}"
            + " {}", p.namespace(), p.name(), w.step, w.failures, e.getCode(), e.getMessage());
      }
      return false;
    }
  }

  private int drawSize() {
    double lo = Math.log(options.minBytes());
    double hi = Math.log(options.maxBytes());
    return (int) Math.round(Math.exp(lo + random.nextDouble() * (hi - lo)));
  }
}
