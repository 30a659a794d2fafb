package dev.archivist.controller;

import dev.archivist.controller.leader.LeaderElection;
import dev.archivist.controller.lifecycle.ArchivedReaper;
import dev.archivist.controller.lifecycle.RetentionGc;
import dev.archivist.controller.metrics.LifecycleMetrics;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The archive controller plus its lifecycle: deletion after {@code --delete-after}
 * ({@link ArchivedReaper}), retention ({@link RetentionGc}) and, with {@code --leader-elect},
 * {@link LeaderElection}. Only the leader runs the archive workers, the reaper and the GC; every
 * replica serves HTTP (that is the app's business).
 *
 * <h2>Leading, and losing the lease</h2>
 * Without leader election the instance leads from {@link #start()} to {@link #close()}. With it,
 * {@code start()} only contends; the work starts when the lease is acquired. When the lease is
 * lost, the fence ({@link #mayWrite()}) has already closed, so in-flight batches end without
 * another store write or PATCH; the work is stopped, and {@code onLostLeadership} is called. The
 * app then exits the process (a Deployment restarts it as a fresh candidate), which is simpler and
 * safer than resetting every component to contend again. See docs/architecture.md, Lifecycle.
 *
 * <h2>Threads</h2>
 * One lifecycle thread ({@code lifecycleThread}) runs every transition: starting the work when
 * leading, stopping it when not, and the stop of {@link #close()}. Transitions are therefore
 * serialized without a lock, and fabric8's election thread is never blocked by a drain. The GC
 * runs on its own scheduler thread. {@code state} moves NEW → RUNNING → CLOSED by compare-and-set;
 * {@code workStopped} makes stopping the work happen once.
 */
final class LifecycleController implements ArchiveController {
  private static final Logger log = LoggerFactory.getLogger(LifecycleController.class);

  private enum State { NEW, RUNNING, CLOSED }

  private final DefaultArchiveController archive;
  private final ArchivedReaper reaper;
  private final RetentionGc gc;
  private final Duration gcPeriod;
  private final ScheduledExecutorService gcExecutor;
  private final ExecutorService lifecycleThread;
  private final LifecycleMetrics metrics;
  private final Runnable onLostLeadership;
  private final Duration shutdownTimeout;
  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
  private final AtomicBoolean workStarted = new AtomicBoolean();
  private final AtomicBoolean workStopped = new AtomicBoolean();
  /** Null without leader election. */
  private final LeaderElection election;
  private volatile Thread lifecycleThreadRef;

  LifecycleController(DefaultArchiveController archive, ArchivedReaper reaper, RetentionGc gc,
      LeaderElection election, Duration gcPeriod, ScheduledExecutorService gcExecutor,
      ExecutorService lifecycleThread, LifecycleMetrics metrics, Runnable onLostLeadership,
      Duration shutdownTimeout) {
    this.archive = Objects.requireNonNull(archive, "archive");
    this.reaper = reaper;
    this.gc = gc;
    this.election = election;
    this.gcPeriod = gcPeriod;
    this.gcExecutor = Objects.requireNonNull(gcExecutor, "gcExecutor");
    this.lifecycleThread = Objects.requireNonNull(lifecycleThread, "lifecycleThread");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.onLostLeadership = Objects.requireNonNull(onLostLeadership, "onLostLeadership");
    this.shutdownTimeout = Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
    lifecycleThread.execute(() -> lifecycleThreadRef = Thread.currentThread());
  }

  /**
   * The write fence every component checks: without leader election always open; with it, open
   * while the lease is held and fresh. It stays open during a graceful {@link #close()} until the
   * lease is released, which happens after the writers stopped.
   */
  boolean mayWrite() {
    return election == null || election.holds();
  }

  /** Whether this instance runs the work now ({@code archivist_leader}). */
  boolean isLeading() {
    return state.get() == State.RUNNING && workStarted.get() && !workStopped.get()
        && (election == null || election.isLeading());
  }

  @Override
  public void start() {
    if (!state.compareAndSet(State.NEW, State.RUNNING)) {
      throw new IllegalStateException("archive controller: start() called when already "
          + state.get());
    }
    if (election == null) {
      lifecycleThread.execute(this::startWork);
    } else {
      election.start(this::leadershipAcquired, this::leadershipLost);
    }
  }

  /** fabric8's onStartLeading; hands over to the lifecycle thread. */
  private void leadershipAcquired() {
    lifecycleThread.execute(this::startWork);
  }

  /** fabric8's onStopLeading (possibly twice); hands over to the lifecycle thread. */
  private void leadershipLost() {
    lifecycleThread.execute(() -> {
      if (state.get() != State.RUNNING || !workStarted.get() || workStopped.get()) {
        return; // a deliberate close, a repeated callback, or never led
      }
      log.error("leader election: lost the lease; stopping the workers, deletion and GC (no "
          + "write after this point), then exiting so that a fresh process contends again");
      stopWork();
      Thread t = new Thread(onLostLeadership, "archivist-lost-lease");
      t.setDaemon(false);
      t.start();
    });
  }

  private void startWork() {
    if (state.get() != State.RUNNING || !workStarted.compareAndSet(false, true)) {
      return;
    }
    archive.start();
    if (reaper != null) {
      reaper.start();
    }
    if (gc != null) {
      gcExecutor.scheduleWithFixedDelay(gc, RetentionGc.firstDelay(gcPeriod).toMillis(),
          gcPeriod.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void stopWork() {
    if (!workStopped.compareAndSet(false, true)) {
      return;
    }
    gcExecutor.shutdownNow();
    if (reaper != null) {
      reaper.close();
    }
    archive.close();
    if (reaper != null) {
      try {
        reaper.awaitStopped(shutdownTimeout);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean isSynced() {
    if (!isLeading()) {
      // A standby serves the archive; it has nothing to sync.
      return election != null && state.get() == State.RUNNING;
    }
    return archive.isSynced() && (reaper == null || reaper.isSynced());
  }

  @Override
  public String unreadyReason() {
    if (!isLeading()) {
      return isSynced() ? null : "not started";
    }
    String archiveProblem = archive.unreadyReason();
    if (archiveProblem != null) {
      return archiveProblem;
    }
    return reaper == null || reaper.isSynced() ? null
        : "delete-after: the informers have not listed the Archived workflows yet";
  }

  @Override
  public ControllerStats stats() {
    ControllerStats s = archive.stats();
    // synced as isSynced() says: a standby's /readyz must not wait for informers it never runs.
    return new ControllerStats(s.archived(), s.failures(), s.skipped(), s.quarantined(),
        metrics.deletedCount(), s.queueDepth(), s.pending(), isSynced());
  }

  /**
   * Stops the work (writers first), then releases the lease, so that a standby takes over at
   * once without overlapping writes.
   */
  @Override
  public void close() {
    State before = state.getAndSet(State.CLOSED);
    if (before == State.CLOSED) {
      return;
    }
    if (Thread.currentThread() == lifecycleThreadRef) {
      stopWork();
    } else {
      Future<?> stopped = lifecycleThread.submit(this::stopWork);
      try {
        stopped.get(shutdownTimeout.toMillis() * 2, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException e) {
        log.warn("archive controller: stopping failed", e.getCause());
      } catch (TimeoutException e) {
        log.warn("archive controller: still stopping after {}", shutdownTimeout.multipliedBy(2));
      }
    }
    if (election != null) {
      election.close();
    }
    lifecycleThread.shutdown();
    gcExecutor.shutdownNow();
  }

  /** The archive controller inside; tests read its queue and quarantine. */
  DefaultArchiveController archive() {
    return archive;
  }

  LifecycleMetrics metrics() {
    return metrics;
  }

  /** Runs the GC once now, on the caller's thread; for tests. */
  long runGcOnce() {
    return gc == null ? 0 : gc.runOnce();
  }
}
