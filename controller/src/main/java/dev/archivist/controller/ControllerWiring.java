package dev.archivist.controller;

import dev.archivist.core.WorkflowKey;
import dev.archivist.metrics.WorkQueueMetrics;
import dev.archivist.store.ArchiveStore;
import dev.archivist.store.QuarantineLog;
import dev.archivist.workqueue.MetricsProvider;
import dev.archivist.workqueue.RateLimiters;
import dev.archivist.workqueue.RateLimitingQueue;
import dev.archivist.workqueue.Ticker;
import dev.archivist.workqueue.TokenBucket;
import dev.archivist.workqueue.WorkQueues;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * Assembles a controller from its parts, with every seam a test needs: time, threads, the
 * Kubernetes calls of the workers, and the metrics sinks. {@link ArchiveController#create} uses
 * the production defaults. Not thread-safe; build one controller per instance.
 */
final class ControllerWiring {
  private final KubernetesClient client;
  private final ArchiveStore store;
  private final ControllerConfig config;
  private MeterRegistry registry;
  private Clock clock = Clock.systemUTC();
  private Ticker ticker = Ticker.system();
  private ThreadFactory workerThreads = named("archivist-archive-worker-");
  private ScheduledExecutorService sweepExecutor;
  private UnaryOperator<WorkflowApi> apiDecorator = UnaryOperator.identity();
  private UnaryOperator<LifecycleApi> lifecycleApiDecorator = UnaryOperator.identity();
  private LifecycleConfig lifecycle = LifecycleConfig.defaults();
  private BooleanSupplier fence = () -> true;
  private LifecycleMetrics lifecycleMetrics;

  private ControllerWiring(KubernetesClient client, ArchiveStore store, ControllerConfig config) {
    this.client = Objects.requireNonNull(client, "client");
    this.store = Objects.requireNonNull(store, "store");
    this.config = Objects.requireNonNull(config, "config");
  }

  static ControllerWiring of(KubernetesClient client, ArchiveStore store,
      ControllerConfig config) {
    return new ControllerWiring(client, store, config);
  }

  /** Where metrics go; without it, nowhere. */
  ControllerWiring metrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    return this;
  }

  ControllerWiring clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  ControllerWiring ticker(Ticker ticker) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    return this;
  }

  ControllerWiring workerThreads(ThreadFactory workerThreads) {
    this.workerThreads = Objects.requireNonNull(workerThreads, "workerThreads");
    return this;
  }

  /** The sweep's executor; the controller shuts it down on close. */
  ControllerWiring sweepExecutor(ScheduledExecutorService sweepExecutor) {
    this.sweepExecutor = Objects.requireNonNull(sweepExecutor, "sweepExecutor");
    return this;
  }

  /** Wraps the workers' Kubernetes calls, e.g. to fail one PATCH on purpose. */
  ControllerWiring decorateApi(UnaryOperator<WorkflowApi> apiDecorator) {
    this.apiDecorator = Objects.requireNonNull(apiDecorator, "apiDecorator");
    return this;
  }

  /** Quarantine's period and the rest of issue 5's settings; defaults when not given. */
  ControllerWiring lifecycle(LifecycleConfig lifecycle) {
    this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
    return this;
  }

  /** False once this instance must stop writing (lost its lease); checked before each write. */
  ControllerWiring fence(BooleanSupplier fence) {
    this.fence = Objects.requireNonNull(fence, "fence");
    return this;
  }

  /** The lifecycle's metrics; without it, built on the registry (or local only). */
  ControllerWiring lifecycleMetrics(LifecycleMetrics lifecycleMetrics) {
    this.lifecycleMetrics = Objects.requireNonNull(lifecycleMetrics, "lifecycleMetrics");
    return this;
  }

  /** Wraps the quarantine annotation calls. */
  ControllerWiring decorateLifecycleApi(UnaryOperator<LifecycleApi> decorator) {
    this.lifecycleApiDecorator = Objects.requireNonNull(decorator, "decorator");
    return this;
  }

  DefaultArchiveController build() {
    DropSignal drops = new DropSignal();
    MetricsProvider queueMetrics = registry == null
        ? MetricsProvider.noop()
        : WorkQueueMetrics.provider(registry);
    RateLimitingQueue<WorkflowKey> queue = WorkQueues.<WorkflowKey>builder()
        .name("archive")
        .capacity(config.queueCapacity())
        .ticker(ticker)
        .rateLimiter(RateLimiters.exponentialFailure(config.retryBaseDelay(),
            config.retryMaxDelay()))
        .metrics(drops.wrap(queueMetrics))
        .threadFactory(named("archivist-archive-queue-delay"))
        .buildRateLimiting();

    ArchiveTokens tokens = config.archiveQps() == 0
        ? ArchiveTokens.UNLIMITED
        : new StoppableTokens(TokenBucket.create(config.archiveQps(),
            config.effectiveArchiveBurst()));
    WorkflowApi api = apiDecorator.apply(new Fabric8WorkflowApi(client, clock));
    ScheduledExecutorService sweeps = sweepExecutor != null ? sweepExecutor
        : Executors.newSingleThreadScheduledExecutor(named("archivist-archive-sweep"));
    AtomicReference<Quarantine> built = new AtomicReference<>();
    LifecycleMetrics lm = lifecycleMetrics != null ? lifecycleMetrics
        : registry == null ? LifecycleMetrics.local()
        : LifecycleMetrics.on(registry, () -> true, () -> {
          Quarantine q = built.get();
          return q == null ? 0 : q.size();
        });
    Quarantine quarantine = new Quarantine(queue, api,
        lifecycleApiDecorator.apply(new Fabric8LifecycleApi(client, clock)),
        quarantineLog(store), config.maxRetries(), lifecycle.quarantineRetryPeriod(), clock,
        fence, lm);
    built.set(quarantine);
    return new DefaultArchiveController(client, store, config, queue, drops, tokens, api,
        registry, clock, ticker, workerThreads, sweeps, fence, quarantine);
  }

  /** The store's quarantine log, or null from a store that keeps none. */
  static QuarantineLog quarantineLog(ArchiveStore store) {
    try {
      return store.quarantine();
    } catch (UnsupportedOperationException e) {
      return null;
    }
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
