package dev.archivist.controller;

import dev.archivist.controller.archive.ArchiveTokens;
import dev.archivist.controller.archive.ArchiveWorker;
import dev.archivist.controller.archive.BatchArchiver;
import dev.archivist.controller.archive.DatabaseGate;
import dev.archivist.controller.archive.Quarantine;
import dev.archivist.controller.finalizer.Finalizers;
import dev.archivist.controller.informer.KeyEnqueuer;
import dev.archivist.controller.informer.KeySweeper;
import dev.archivist.controller.informer.WorkflowInformers;
import dev.archivist.controller.metrics.CountingMetrics;
import dev.archivist.core.WorkflowKey;
import dev.archivist.workqueue.RateLimitingQueue;
import dev.archivist.workqueue.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archive controller: it receives its parts from {@link ControllerAssembly} (the archive
 * queue, the informers, the sweep, the worker threads' factory) and starts and stops them in
 * order.
 *
 * <h2>Threads</h2>
 *
 * <ul>
 *   <li>fabric8's informer threads (one serial dispatcher per informer) run {@link KeyEnqueuer}:
 *       a bare {@code queue.add}.
 *   <li>{@code --workers} worker threads, from the injected {@link ThreadFactory}, run
 *       {@link ArchiveWorker}. They share the queue, the {@link BatchArchiver} and the store; each
 *       key is held by at most one worker at a time (the queue's processing set guarantees it).
 *   <li>The queue's own delay thread moves retried keys back in when their backoff ends.
 *   <li>One sweep thread runs {@link KeySweeper} every {@code --sweep-period}, and the
 *       finalizer's sweep beside it.
 *   <li>With {@code --finalizer}, fabric8's threads of the finalizer informers (queue calls
 *       only) and one adder thread ({@link Finalizers}).
 *   <li>Any thread may call {@link #stats()} and {@link #isSynced()}; they read concurrent
 *       structures and atomic counters only.
 * </ul>
 *
 * <p>This class holds no lock. {@code state} moves NEW → RUNNING → CLOSED (or NEW → CLOSED) by
 * compare-and-set, so {@link #start()} and {@link #close()} each run their body at most once; the
 * workers read it to stop taking new batches. {@code workers} is written only by {@code start()}
 * before any worker runs and read by {@code close()} after {@code state} is CLOSED.
 */
final class DefaultArchiveController implements ArchiveController {
  private static final Logger log = LoggerFactory.getLogger(DefaultArchiveController.class);

  private enum State { NEW, RUNNING, CLOSED }

  private final ControllerConfig config;
  private final RateLimitingQueue<WorkflowKey> queue;
  private final ArchiveTokens tokens;
  private final WorkflowInformers informers;
  private final CountingMetrics metrics;
  private final BatchArchiver archiver;
  private final KeySweeper sweeper;
  private final Ticker ticker;
  private final ThreadFactory workerThreads;
  private final ScheduledExecutorService sweepExecutor;
  private final Quarantine quarantine;
  /** {@code --finalizer}'s informers and adder; null when it is off. */
  private final Finalizers finalizers;
  /** Every informer readiness waits for: the archive's, then the finalizer's. */
  private final List<WorkflowInformers> watched;
  /** How long the API server may fail every call before the controller reports itself unready. */
  private final Duration outageBound;

  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
  private final List<Thread> workers = new ArrayList<>();
  /** Whether the last close() saw every in-flight batch done within the timeout; for tests. */
  private volatile boolean drainedAtClose;

  DefaultArchiveController(ControllerConfig config, RateLimitingQueue<WorkflowKey> queue,
      ArchiveTokens tokens, WorkflowInformers informers, KeySweeper sweeper,
      BatchArchiver archiver, Quarantine quarantine, CountingMetrics metrics, Ticker ticker,
      ThreadFactory workerThreads, ScheduledExecutorService sweepExecutor,
      Finalizers finalizers, Duration outageBound) {
    this.finalizers = finalizers;
    this.outageBound = Objects.requireNonNull(outageBound, "outageBound");
    this.config = Objects.requireNonNull(config, "config");
    this.queue = Objects.requireNonNull(queue, "queue");
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.informers = Objects.requireNonNull(informers, "informers");
    this.watched = finalizers == null ? List.of(informers)
        : List.of(informers, finalizers.informers());
    this.sweeper = Objects.requireNonNull(sweeper, "sweeper");
    this.archiver = Objects.requireNonNull(archiver, "archiver");
    this.quarantine = Objects.requireNonNull(quarantine, "quarantine");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.workerThreads = Objects.requireNonNull(workerThreads, "workerThreads");
    this.sweepExecutor = Objects.requireNonNull(sweepExecutor, "sweepExecutor");
  }

  @Override
  public void start() {
    if (!state.compareAndSet(State.NEW, State.RUNNING)) {
      throw new IllegalStateException("archive controller: start() called when already "
          + state.get());
    }
    log.info("archive controller: starting; namespaces {}, {} workers, batches of {}, archive "
        + "qps {}, queue capacity {}", config.namespaces().isEmpty() ? "all"
        : config.namespaces(), config.workers(), config.batchSize(),
        config.archiveQps() == 0 ? "unlimited" : config.archiveQps(), config.queueCapacity());
    quarantine.load();
    for (int i = 0; i < config.workers(); i++) {
      Thread t = workerThreads.newThread(new ArchiveWorker(queue, archiver, config.batchSize(),
          config.maxRetries(), metrics, this::stopping, quarantine));
      workers.add(t);
    }
    workers.forEach(Thread::start);
    long period = config.sweepPeriod().toMillis();
    sweepExecutor.scheduleWithFixedDelay(sweeper, period, period, TimeUnit.MILLISECONDS);
    informers.start();
    if (finalizers != null) {
      sweepExecutor.scheduleWithFixedDelay(finalizers.sweeper(), period, period,
          TimeUnit.MILLISECONDS);
      finalizers.start();
    }
  }

  /** True once the informers, and with {@code --finalizer} the finalizer's too, have listed. */
  @Override
  public boolean isSynced() {
    return watched.stream().allMatch(WorkflowInformers::isSynced);
  }

  /** The default of how long the API server may fail every call before readiness says so. */
  static final Duration OUTAGE_BOUND = Duration.ofMinutes(1);

  @Override
  public String unreadyReason() {
    for (WorkflowInformers w : watched) {
      String problem = w.problem();
      if (problem != null) {
        return problem;
      }
    }
    // The workers' calls and the informers' requests, whichever has failed longer: with nothing
    // to archive the workers call nothing, and the informers' watch is what notices.
    Duration workers = archiver.outages().failingFor();
    Duration watching = watched.stream().map(WorkflowInformers::failingFor)
        .max(Comparator.naturalOrder()).orElseThrow();
    Duration failing = workers.compareTo(watching) >= 0 ? workers : watching;
    if (failing.compareTo(outageBound) > 0) {
      return "archive controller: every call to the API server has failed for "
          + failing.toSeconds() + " s, longer than the bound of " + outageBound.toSeconds()
          + " s (see archivist_kube_errors_total and the log)";
    }
    if (!informers.isSynced()) {
      return "the informers have not listed the workflows yet";
    }
    if (finalizers != null && !finalizers.informers().isSynced()) {
      return "the finalizer's informers have not listed the instance's workflows yet";
    }
    return null;
  }

  @Override
  public ControllerStats stats() {
    return new ControllerStats(metrics.archivedCount(), metrics.failureCount(),
        metrics.skippedCount(), quarantine.size(), 0, queue.len(), informers.size(),
        isSynced());
  }

  @Override
  public void close() {
    State before = state.getAndSet(State.CLOSED);
    if (before == State.CLOSED) {
      return;
    }
    long deadline = ticker.read() + config.shutdownTimeout().toNanos();
    informers.close();
    if (finalizers != null) {
      finalizers.close();
    }
    sweepExecutor.shutdownNow();
    tokens.stop();
    boolean drained;
    try {
      drained = queue.shutDownWithDrain(config.shutdownTimeout());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      drained = false;
    }
    drainedAtClose = drained;
    if (!drained) {
      log.warn("archive controller: batches still in flight after the shutdown timeout of {}; "
          + "interrupting the workers (their workflows stay unlabelled and are archived again on "
          + "the next start)", config.shutdownTimeout());
      workers.forEach(Thread::interrupt);
    }
    for (Thread t : workers) {
      long leftMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - ticker.read()));
      try {
        t.join(leftMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      if (t.isAlive()) {
        log.warn("archive controller: worker {} did not stop within {}", t.getName(),
            config.shutdownTimeout());
      }
    }
    log.info("archive controller: stopped; {}", stats());
  }

  /** Whether close() found every batch done within the timeout, without interrupting. */
  boolean drainedAtClose() {
    return drainedAtClose;
  }

  /** The archive queue; tests read its retry counts. */
  RateLimitingQueue<WorkflowKey> queue() {
    return queue;
  }

  /** Quarantine's state; tests read it. */
  Quarantine quarantine() {
    return quarantine;
  }

  /** The gate that holds the workers during a database outage; tests read it. */
  DatabaseGate databaseGate() {
    return archiver.gate();
  }

  private boolean stopping() {
    return state.get() != State.RUNNING;
  }
}
