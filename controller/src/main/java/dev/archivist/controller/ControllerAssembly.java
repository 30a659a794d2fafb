package dev.archivist.controller;

import dev.archivist.controller.archive.ArchiveTokens;
import dev.archivist.controller.archive.BatchArchiver;
import dev.archivist.controller.archive.BatchReader;
import dev.archivist.controller.archive.DatabaseGate;
import dev.archivist.controller.archive.LostWorkflows;
import dev.archivist.controller.archive.Quarantine;
import dev.archivist.controller.finalizer.Finalizers;
import dev.archivist.controller.informer.DropSignal;
import dev.archivist.controller.informer.InformerSelector;
import dev.archivist.controller.informer.KeyEnqueuer;
import dev.archivist.controller.informer.KeySweeper;
import dev.archivist.controller.informer.WorkflowInformers;
import dev.archivist.controller.kube.FinalizerApi;
import dev.archivist.controller.kube.KubeOutages;
import dev.archivist.controller.kube.LifecycleApi;
import dev.archivist.controller.kube.WorkflowApi;
import dev.archivist.controller.leader.LeaderElection;
import dev.archivist.controller.lifecycle.ArchivedReaper;
import dev.archivist.controller.lifecycle.RetentionGc;
import dev.archivist.controller.metrics.ControllerMetrics;
import dev.archivist.controller.metrics.CountingMetrics;
import dev.archivist.controller.metrics.LifecycleMetrics;
import dev.archivist.controller.metrics.MicrometerControllerMetrics;
import dev.archivist.core.LabelSelector;
import dev.archivist.core.WorkflowKey;
import dev.archivist.metrics.WorkQueueMetrics;
import dev.archivist.store.ArchiveStore;
import dev.archivist.store.QuarantineLog;
import dev.archivist.store.argo.ArgoNodesConfig;
import dev.archivist.store.argo.NodeRestorer;
import dev.archivist.workqueue.MetricsProvider;
import dev.archivist.workqueue.RateLimiters;
import dev.archivist.workqueue.RateLimitingQueue;
import dev.archivist.workqueue.Sleeper;
import dev.archivist.workqueue.Ticker;
import dev.archivist.workqueue.TokenBucket;
import dev.archivist.workqueue.WorkQueues;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * The one place that builds a controller from its parts, with every seam a test needs: time,
 * threads, the Kubernetes calls, and the metrics registry. {@link ArchiveController#create} uses
 * the production defaults.
 *
 * <p>{@link #build()} gives the controller with its lifecycle ({@link LifecycleController}:
 * deletion, retention GC and leader election, as the {@link LifecycleConfig} asks).
 * {@link #buildArchive()} gives the archive controller alone, with quarantine but without the
 * rest: it may always write and reports itself the leader.
 *
 * <p>Nothing here needs a reference to something not built yet. The leader election is built
 * first, and its {@link LeaderElection#holds()} is the write fence every writer checks; the
 * lifecycle hands the election its callbacks when it starts; and the gauges that read the built
 * controller and quarantine are registered last.
 *
 * <p>Not thread-safe; one assembly builds one controller.
 */
final class ControllerAssembly {
  /** The database probe while the archive database fails: its bound, first wait and cap. */
  private static final Duration DATABASE_PROBE_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration DATABASE_PROBE_BASE = Duration.ofMillis(500);
  private static final Duration DATABASE_PROBE_MAX = Duration.ofSeconds(15);

  private final KubernetesClient client;
  private final ArchiveStore store;
  private final ControllerConfig config;
  private LifecycleConfig lifecycle = LifecycleConfig.defaults();
  private MeterRegistry registry;
  private Clock clock = Clock.systemUTC();
  private Ticker ticker = Ticker.system();
  private ThreadFactory workerThreads = named("archivist-archive-worker-");
  private ScheduledExecutorService sweepExecutor;
  private UnaryOperator<WorkflowApi> apiDecorator = UnaryOperator.identity();
  private UnaryOperator<LifecycleApi> lifecycleApiDecorator = UnaryOperator.identity();
  private UnaryOperator<FinalizerApi> finalizerApiDecorator = UnaryOperator.identity();
  private Runnable onLostLeadership = () -> { };
  private boolean readByPages = true;
  private NodeRestorer nodeRestorer;
  private Duration kubeOutageBound = DefaultArchiveController.OUTAGE_BOUND;

  private ControllerAssembly(KubernetesClient client, ArchiveStore store,
      ControllerConfig config) {
    this.client = Objects.requireNonNull(client, "client");
    this.store = Objects.requireNonNull(store, "store");
    this.config = Objects.requireNonNull(config, "config");
  }

  static ControllerAssembly of(KubernetesClient client, ArchiveStore store,
      ControllerConfig config) {
    return new ControllerAssembly(client, store, config);
  }

  /** Quarantine's period and the rest of the lifecycle; defaults when not given. */
  ControllerAssembly lifecycle(LifecycleConfig lifecycle) {
    this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
    return this;
  }

  /** Where metrics go; without it, nowhere (the counts for {@link ControllerStats} remain). */
  ControllerAssembly metrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    return this;
  }

  ControllerAssembly clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  ControllerAssembly ticker(Ticker ticker) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    return this;
  }

  ControllerAssembly workerThreads(ThreadFactory workerThreads) {
    this.workerThreads = Objects.requireNonNull(workerThreads, "workerThreads");
    return this;
  }

  /** The sweep's executor; the controller shuts it down on close. */
  ControllerAssembly sweepExecutor(ScheduledExecutorService sweepExecutor) {
    this.sweepExecutor = Objects.requireNonNull(sweepExecutor, "sweepExecutor");
    return this;
  }

  /** Wraps the workers' and the reaper's Kubernetes reads and marks, e.g. to fail one PATCH. */
  ControllerAssembly decorateApi(UnaryOperator<WorkflowApi> decorator) {
    this.apiDecorator = Objects.requireNonNull(decorator, "decorator");
    return this;
  }

  /** Wraps the quarantine annotation calls and the reaper's DELETE. */
  ControllerAssembly decorateLifecycleApi(UnaryOperator<LifecycleApi> decorator) {
    this.lifecycleApiDecorator = Objects.requireNonNull(decorator, "decorator");
    return this;
  }

  /** Wraps the finalizer's PATCHes, e.g. to count them. */
  ControllerAssembly decorateFinalizerApi(UnaryOperator<FinalizerApi> decorator) {
    this.finalizerApiDecorator = Objects.requireNonNull(decorator, "decorator");
    return this;
  }

  /**
   * Whether workers read several workflows of a namespace with one LIST page (where the API
   * server serves metadata, so honours {@code limit}); on by default. Off, every read is a GET,
   * as a test's baseline.
   */
  ControllerAssembly readByPages(boolean readByPages) {
    this.readByPages = readByPages;
    return this;
  }

  /**
   * Where the nodes of large workflows are restored from before writing; without it, the
   * store's own database with Argo's default offload table.
   */
  ControllerAssembly nodeRestorer(NodeRestorer nodeRestorer) {
    this.nodeRestorer = Objects.requireNonNull(nodeRestorer, "nodeRestorer");
    return this;
  }

  /**
   * How long every call to the API server may fail before the controller reports itself not
   * ready; one minute unless a test shortens it.
   */
  ControllerAssembly kubeOutageBound(Duration bound) {
    this.kubeOutageBound = Objects.requireNonNull(bound, "bound");
    return this;
  }

  /** Called (on a thread of its own) after the work stopped because the lease was lost. */
  ControllerAssembly onLostLeadership(Runnable onLostLeadership) {
    this.onLostLeadership = Objects.requireNonNull(onLostLeadership, "onLostLeadership");
    return this;
  }

  /** The archive controller alone: quarantine, but no deletion, GC or leader election. */
  DefaultArchiveController buildArchive() {
    LifecycleMetrics metrics = lifecycleMetrics();
    DefaultArchiveController archive = archive(() -> true, metrics);
    metrics.registerGauges(() -> true, archive.quarantine()::size);
    return archive;
  }

  /** The controller with the lifecycle that {@link #lifecycle(LifecycleConfig)} describes. */
  LifecycleController build() {
    LifecycleMetrics metrics = lifecycleMetrics();
    LeaderElection election = lifecycle.leaderElect()
        ? new LeaderElection(KubeClients.dedicated(client.getConfiguration()), lifecycle,
            ticker, Executors.newSingleThreadExecutor(named("archivist-leader-election")))
        : null;
    BooleanSupplier fence = election == null ? () -> true : election::holds;
    DefaultArchiveController archive = archive(fence, metrics);
    ArchivedReaper reaper = lifecycle.deletes() ? reaper(fence, metrics) : null;
    RetentionGc gc = lifecycle.collectsGarbage()
        ? new RetentionGc(store, lifecycle.archiveTtl(), clock, fence, metrics)
        : null;
    ScheduledExecutorService gcExecutor =
        Executors.newSingleThreadScheduledExecutor(named("archivist-retention-gc"));
    ExecutorService lifecycleThread =
        Executors.newSingleThreadExecutor(named("archivist-lifecycle"));
    LifecycleController controller = new LifecycleController(archive, reaper, gc, election,
        lifecycle.gcPeriod(), gcExecutor, lifecycleThread, metrics, onLostLeadership,
        config.shutdownTimeout());
    metrics.registerGauges(controller::isLeading, archive.quarantine()::size);
    return controller;
  }

  private DefaultArchiveController archive(BooleanSupplier fence,
      LifecycleMetrics lifecycleMetrics) {
    DropSignal drops = new DropSignal();
    RateLimitingQueue<WorkflowKey> queue = boundedKeyQueue("archive", drops);
    ArchiveTokens tokens = config.archiveQps() == 0
        ? ArchiveTokens.UNLIMITED
        : ArchiveTokens.stoppable(TokenBucket.create(config.archiveQps(),
            config.effectiveArchiveBurst()));
    WorkflowApi api = workflowApi();
    LabelSelector candidates = InformerSelector.archiveCandidates(config.instanceId(),
        config.archiveSelector());
    String listSelector = InformerSelector.render(candidates);
    // The informers' size gauge reads them once built; the loss check needs the metrics first.
    AtomicReference<WorkflowInformers> built = new AtomicReference<>();
    CountingMetrics metrics = new CountingMetrics(registry == null
        ? ControllerMetrics.NOOP
        : new MicrometerControllerMetrics(registry, () -> {
          WorkflowInformers i = built.get();
          return i == null ? 0 : i.size();
        }));
    ScheduledExecutorService sweeps = sweepExecutor != null ? sweepExecutor
        : Executors.newSingleThreadScheduledExecutor(named("archivist-archive-sweep"));
    LostWorkflows lost = new LostWorkflows(api, store, metrics, sweeps);
    WorkflowApi workers = lost.tracking(api);
    WorkflowInformers informers = WorkflowInformers.build(client, config.namespaces(),
        listSelector, "archive controller", "Workflows",
        lost.alongside(new KeyEnqueuer(queue)), new KubeOutages(ticker, metrics::kubeError));
    built.set(informers);
    // A workflow released at its deletion without a row is lost; the archive informers count
    // those they hold when they depart, the quarantine counts the others (running ones).
    Quarantine quarantine = new Quarantine(queue, api, lifecycleApi(), quarantineLog(store),
        config.maxRetries(), lifecycle.quarantineRetryPeriod(), clock, fence, lifecycleMetrics,
        key -> informers.resourceVersion(key) != null, metrics::lost);
    KubeOutages outages = new KubeOutages(ticker, metrics::kubeError);
    Finalizers finalizers = lifecycle.finalizer() ? finalizers(queue, fence, outages) : null;
    DatabaseGate gate = new DatabaseGate(() -> store.isReachable(DATABASE_PROBE_TIMEOUT),
        Sleeper.system(), DATABASE_PROBE_BASE, DATABASE_PROBE_MAX);
    BatchReader.Informed informed = new BatchReader.Informed() {
      @Override
      public String resourceVersion(WorkflowKey key) {
        return informers.resourceVersion(key);
      }

      @Override
      public boolean pagesEnabled() {
        return readByPages && informers.servesMetadata();
      }

      @Override
      public boolean deleting(WorkflowKey key) {
        return finalizers != null && finalizers.deleting(key);
      }
    };
    BatchArchiver archiver = BatchArchiver.create(workers, store, tokens, candidates, listSelector,
        informed, config.batchSize(), BatchArchiver.readBudgetFor(Runtime.getRuntime().maxMemory()),
        quarantine, metrics, clock, fence, gate, outages,
        nodeRestorer != null ? nodeRestorer : defaultNodeRestorer(store));
    KeySweeper sweeper = new KeySweeper(informers::forEachKey, queue, drops);
    return new DefaultArchiveController(config, queue, tokens, informers, sweeper, archiver,
        quarantine, metrics, ticker, workerThreads, sweeps, finalizers, kubeOutageBound);
  }

  /**
   * {@code --finalizer}: the informers over every workflow of the instance, the add queue and its
   * thread. Its PATCHes go through the workers' client, within {@code --kube-qps}.
   */
  private Finalizers finalizers(RateLimitingQueue<WorkflowKey> archiveQueue,
      BooleanSupplier fence, KubeOutages outages) {
    DropSignal drops = new DropSignal();
    RateLimitingQueue<WorkflowKey> adds = boundedKeyQueue("finalizer", drops);
    return Finalizers.create(client, config.namespaces(), config.instanceId(),
        config.archiveSelector(), adds, drops, archiveQueue,
        finalizerApiDecorator.apply(FinalizerApi.fabric8(client, clock)), config.maxRetries(),
        fence, outages, named("archivist-finalizer"));
  }

  private ArchivedReaper reaper(BooleanSupplier fence, LifecycleMetrics metrics) {
    RateLimitingQueue<WorkflowKey> deleteQueue = keyQueue("delete")
        .metrics(queueMetrics())
        .buildRateLimiting();
    return new ArchivedReaper(client, config.namespaces(), config.instanceId(),
        config.archiveSelector(), deleteQueue,
        workflowApi(),
        lifecycleApi(), store, lifecycle.deleteAfter(), clock, fence, metrics,
        named("archivist-delete-worker"));
  }

  /**
   * A queue of keys named {@code name} that retries a key with the configured backoff; its delay
   * thread is {@code archivist-<name>-queue-delay}.
   */
  private WorkQueues.Builder<WorkflowKey> keyQueue(String name) {
    return WorkQueues.<WorkflowKey>builder()
        .name(name)
        .ticker(ticker)
        .rateLimiter(RateLimiters.exponentialFailure(config.retryBaseDelay(),
            config.retryMaxDelay()))
        .threadFactory(named("archivist-" + name + "-queue-delay"));
  }

  /** A {@link #keyQueue} bounded by the queue capacity, whose drops {@code drops} sees. */
  private RateLimitingQueue<WorkflowKey> boundedKeyQueue(String name, DropSignal drops) {
    return keyQueue(name)
        .capacity(config.queueCapacity())
        .metrics(drops.wrap(queueMetrics()))
        .buildRateLimiting();
  }

  private LifecycleMetrics lifecycleMetrics() {
    return registry == null ? LifecycleMetrics.local() : LifecycleMetrics.on(registry);
  }

  private MetricsProvider queueMetrics() {
    return registry == null ? MetricsProvider.noop() : WorkQueueMetrics.provider(registry);
  }

  private WorkflowApi workflowApi() {
    return apiDecorator.apply(WorkflowApi.fabric8(client, clock));
  }

  private LifecycleApi lifecycleApi() {
    return lifecycleApiDecorator.apply(LifecycleApi.fabric8(client, clock));
  }

  /**
   * The store's own database with Argo's default table, or, from a store without a database (a
   * test's), a restorer that finds no offloaded nodes.
   */
  private static NodeRestorer defaultNodeRestorer(ArchiveStore store) {
    try {
      return store.nodeRestorer(ArgoNodesConfig.defaults());
    } catch (UnsupportedOperationException e) {
      return NodeRestorer.over(keys -> java.util.Map.of(), ArgoNodesConfig.DEFAULT_MAX_NODES_BYTES);
    }
  }

  /** The store's quarantine log, or null from a store that keeps none. */
  private static QuarantineLog quarantineLog(ArchiveStore store) {
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
