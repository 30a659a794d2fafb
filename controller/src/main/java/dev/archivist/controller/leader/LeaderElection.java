package dev.archivist.controller.leader;

import dev.archivist.controller.LifecycleConfig;
import dev.archivist.workqueue.Ticker;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.Lock;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election over a {@code coordination.k8s.io/v1} Lease, with fabric8's
 * {@link LeaderElector} and {@link LeaseLock}, plus a write fence.
 *
 * <h2>The fence</h2>
 * fabric8 tells us when we start and stop leading, but a callback arrives late by nature. So the
 * lock is wrapped to note (on the injected {@link Ticker}) when the lease was <em>read</em> before
 * each successful acquire or renew (fabric8 takes the renew time it writes before that read, and
 * the update's round trip comes after it), and {@link #holds()} is true only while we lead and less
 * than {@code renewDeadline} has passed since then. Every store write and PATCH of the controller
 * checks it first. A standby may take the lease once the renew time we wrote plus {@code
 * leaseDuration} has passed on its clock, so the fence closes {@code leaseDuration - renewDeadline}
 * (5 s by default) before anyone else can start: that margin absorbs a write that passed the check
 * just before it closed, and clock skew between replicas. Any write that still lands late is
 * harmless by design: archiving is an idempotent upsert, the Archived label is the same value, and
 * a DELETE carries uid and resourceVersion preconditions.
 *
 * <h2>Threads</h2>
 * fabric8 runs its acquire/renew loop and calls {@link LeaderCallbacks} on {@code executor} (one
 * thread, ours); the callbacks here only flip flags and hand the work to the {@code onStart} and
 * {@code onStop} given to {@link #start}, which the caller must make non-blocking (the lifecycle
 * hands them to its own thread). {@link #holds()} is called from any thread and reads volatile
 * fields only. {@code onStop} may be called more than once (fabric8 calls it on a leader change and
 * when its loop ends); callers make it idempotent.
 */
public final class LeaderElection implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);

  private final KubernetesClient client;
  private final LifecycleConfig config;
  private final ExecutorService executor;
  private final Ticker ticker;
  private final long renewDeadlineNanos;
  private final String describe;
  private volatile boolean leading;
  /**
   * Ticker reading taken when the lease was last read before a successful acquire or renew: no
   * later than the renew time fabric8 writes, which is what a standby counts from.
   */
  private volatile long renewedAt;
  /** When the lease was last read; the election thread alone writes it. */
  private volatile long readAt;
  private volatile CompletableFuture<?> running;

  /**
   * @param client used for the Lease only, and closed by {@link #close()}: a client of its own,
   *     so that the workers' requests never delay a renewal (see {@code KubeClients#dedicated})
   */
  public LeaderElection(KubernetesClient client, LifecycleConfig config, Ticker ticker,
      ExecutorService executor) {
    this.client = Objects.requireNonNull(client, "client");
    this.config = Objects.requireNonNull(config, "config");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.executor = Objects.requireNonNull(executor, "executor");
    this.renewDeadlineNanos = config.renewDeadline().toNanos();
    this.describe = "Lease " + config.leaseNamespace() + "/" + config.leaseName() + " as "
        + config.leaseIdentity();
  }

  /**
   * Starts contending; returns at once. {@code onStart} and {@code onStop} must not block (see
   * the class comment); call at most once.
   */
  public void start(Runnable onStart, Runnable onStop) {
    Objects.requireNonNull(onStart, "onStart");
    Objects.requireNonNull(onStop, "onStop");
    Lock lock = new FencingLock(new LeaseLock(config.leaseNamespace(), config.leaseName(),
        config.leaseIdentity()));
    LeaderCallbacks callbacks = new LeaderCallbacks(
        () -> {
          leading = true;
          log.info("leader election: now leading ({})", describe);
          onStart.run();
        },
        () -> {
          boolean was = leading;
          leading = false;
          if (was) {
            log.warn("leader election: stopped leading ({})", describe);
          }
          onStop.run();
        },
        leader -> log.info("leader election: the leader of {} is now {}", config.leaseName(),
            leader));
    LeaderElector elector = new LeaderElector(client, new LeaderElectionConfigBuilder()
        .withName(config.leaseName())
        .withLock(lock)
        .withLeaseDuration(config.leaseDuration())
        .withRenewDeadline(config.renewDeadline())
        .withRetryPeriod(config.leaseRetryPeriod())
        .withReleaseOnCancel(true)
        .withLeaderCallbacks(callbacks)
        .build(), executor);
    log.info("leader election: contending for {}", describe);
    running = elector.start();
  }

  /** Whether this instance may write now: it leads, and its last renewal is fresh. */
  public boolean holds() {
    return leading && ticker.read() - renewedAt < renewDeadlineNanos;
  }

  /** Whether fabric8 considers us the leader (the gauge); {@link #holds()} gates writes. */
  public boolean isLeading() {
    return leading;
  }

  /**
   * Stops contending and, when leading, releases the lease so that a standby takes over at once.
   * The caller must have stopped every writer first.
   */
  @Override
  public void close() {
    CompletableFuture<?> r = running;
    if (r != null) {
      r.cancel(true);
    }
    executor.shutdown();
    client.close();
  }

  /** The lease lock, noting when a renewal of ours was sent before it succeeded. */
  private final class FencingLock implements Lock {
    private final Lock delegate;

    FencingLock(Lock delegate) {
      this.delegate = delegate;
    }

    @Override
    public LeaderElectionRecord get(KubernetesClient client) {
      readAt = ticker.read();
      return delegate.get(client);
    }

    @Override
    public void create(KubernetesClient client, LeaderElectionRecord record) {
      delegate.create(client, record);
      noteSuccess(record, readAt);
    }

    @Override
    public void update(KubernetesClient client, LeaderElectionRecord record) {
      delegate.update(client, record);
      noteSuccess(record, readAt);
    }

    @Override
    public String identity() {
      return delegate.identity();
    }

    @Override
    public String describe() {
      return delegate.describe();
    }

    private void noteSuccess(LeaderElectionRecord record, long read) {
      if (identity().equals(record.getHolderIdentity())) {
        renewedAt = read;
      } else {
        leading = false; // released: stop writing at once
      }
    }
  }
}
