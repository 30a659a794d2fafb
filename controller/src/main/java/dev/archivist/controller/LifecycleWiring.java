package dev.archivist.controller;

import dev.archivist.core.WorkflowKey;
import dev.archivist.metrics.WorkQueueMetrics;
import dev.archivist.store.ArchiveStore;
import dev.archivist.workqueue.MetricsProvider;
import dev.archivist.workqueue.RateLimiters;
import dev.archivist.workqueue.RateLimitingQueue;
import dev.archivist.workqueue.Ticker;
import dev.archivist.workqueue.WorkQueues;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * Assembles a {@link LifecycleController}: the archive controller (through
 * {@link ControllerWiring}, with the lifecycle's fence and metrics), the reaper, the GC and the
 * leader election, with the seams tests need. Not thread-safe; one controller per instance.
 */
final class LifecycleWiring {
  private final KubernetesClient client;
  private final ArchiveStore store;
  private final ControllerConfig config;
  private final LifecycleConfig lifecycle;
  private MeterRegistry registry;
  private Clock clock = Clock.systemUTC();
  private Ticker ticker = Ticker.system();
  private Runnable onLostLeadership = () -> { };
  private UnaryOperator<WorkflowApi> apiDecorator = UnaryOperator.identity();
  private UnaryOperator<LifecycleApi> lifecycleApiDecorator = UnaryOperator.identity();
  private ThreadFactory workerThreads;

  private LifecycleWiring(KubernetesClient client, ArchiveStore store, ControllerConfig config,
      LifecycleConfig lifecycle) {
    this.client = Objects.requireNonNull(client, "client");
    this.store = Objects.requireNonNull(store, "store");
    this.config = Objects.requireNonNull(config, "config");
    this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
  }

  static LifecycleWiring of(KubernetesClient client, ArchiveStore store, ControllerConfig config,
      LifecycleConfig lifecycle) {
    return new LifecycleWiring(client, store, config, lifecycle);
  }

  LifecycleWiring metrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    return this;
  }

  LifecycleWiring clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  LifecycleWiring ticker(Ticker ticker) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    return this;
  }

  /** Called (on a thread of its own) after the work stopped because the lease was lost. */
  LifecycleWiring onLostLeadership(Runnable onLostLeadership) {
    this.onLostLeadership = Objects.requireNonNull(onLostLeadership, "onLostLeadership");
    return this;
  }

  LifecycleWiring decorateApi(UnaryOperator<WorkflowApi> decorator) {
    this.apiDecorator = Objects.requireNonNull(decorator, "decorator");
    return this;
  }

  LifecycleWiring decorateLifecycleApi(UnaryOperator<LifecycleApi> decorator) {
    this.lifecycleApiDecorator = Objects.requireNonNull(decorator, "decorator");
    return this;
  }

  LifecycleWiring workerThreads(ThreadFactory workerThreads) {
    this.workerThreads = Objects.requireNonNull(workerThreads, "workerThreads");
    return this;
  }

  LifecycleController build() {
    AtomicReference<LifecycleController> self = new AtomicReference<>();
    AtomicReference<DefaultArchiveController> archiveRef = new AtomicReference<>();
    // Registered before the archive controller, whose own leader gauge is a constant 1.
    LifecycleMetrics metrics = registry == null ? LifecycleMetrics.local()
        : LifecycleMetrics.on(registry,
            () -> self.get() != null && self.get().isLeading(),
            () -> archiveRef.get() == null ? 0 : archiveRef.get().quarantine().size());
    java.util.function.BooleanSupplier fence = () -> {
      LifecycleController c = self.get();
      return c != null && c.mayWrite();
    };

    ControllerWiring archiveWiring = ControllerWiring.of(client, store, config)
        .clock(clock)
        .ticker(ticker)
        .lifecycle(lifecycle)
        .fence(fence)
        .lifecycleMetrics(metrics)
        .decorateApi(apiDecorator)
        .decorateLifecycleApi(lifecycleApiDecorator);
    if (registry != null) {
      archiveWiring.metrics(registry);
    }
    if (workerThreads != null) {
      archiveWiring.workerThreads(workerThreads);
    }
    DefaultArchiveController archive = archiveWiring.build();
    archiveRef.set(archive);

    ArchivedReaper reaper = null;
    if (lifecycle.deletes()) {
      MetricsProvider queueMetrics = registry == null ? MetricsProvider.noop()
          : WorkQueueMetrics.provider(registry);
      RateLimitingQueue<WorkflowKey> deleteQueue = WorkQueues.<WorkflowKey>builder()
          .name("delete")
          .ticker(ticker)
          .rateLimiter(RateLimiters.exponentialFailure(config.retryBaseDelay(),
              config.retryMaxDelay()))
          .metrics(queueMetrics)
          .threadFactory(named("archivist-delete-queue-delay"))
          .buildRateLimiting();
      WorkflowApi api = apiDecorator.apply(new Fabric8WorkflowApi(client, clock));
      reaper = new ArchivedReaper(client, config.namespaces(), deleteQueue, api,
          lifecycleApiDecorator.apply(new Fabric8LifecycleApi(client, clock)), store,
          lifecycle.deleteAfter(), clock, fence, metrics, named("archivist-delete-worker"));
    }
    RetentionGc gc = lifecycle.collectsGarbage()
        ? new RetentionGc(store, lifecycle.archiveTtl(), clock, fence, metrics)
        : null;
    ScheduledExecutorService gcExecutor =
        Executors.newSingleThreadScheduledExecutor(named("archivist-retention-gc"));
    ExecutorService lifecycleThread =
        Executors.newSingleThreadExecutor(named("archivist-lifecycle"));
    LifecycleController controller = new LifecycleController(archive, reaper, gc,
        lifecycle.gcPeriod(), gcExecutor, lifecycleThread, metrics, onLostLeadership,
        config.shutdownTimeout());
    if (lifecycle.leaderElect()) {
      controller.election(new LeaderElection(client, lifecycle, ticker,
          Executors.newSingleThreadExecutor(named("archivist-leader-election")),
          controller::leadershipAcquired, controller::leadershipLost));
    }
    self.set(controller);
    return controller;
  }

  /** Daemon threads, so that a controller nobody closed does not keep the JVM alive. */
  private static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return task -> {
      Thread t = new Thread(task, prefix.endsWith("-") ? prefix + n.incrementAndGet() : prefix);
      t.setDaemon(true);
      return t;
    };
  }
}
