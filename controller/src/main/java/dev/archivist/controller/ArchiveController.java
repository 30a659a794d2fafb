package dev.archivist.controller;

import dev.archivist.store.ArchiveStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;

/**
 * The archive controller: informers feed {@code namespace/name} keys into a bounded, rate-limited
 * queue, and workers archive the latest object of each in batches, then label it
 * {@code Archived}. See {@code docs/architecture.md} for the data flow, threads and guarantees.
 *
 * <p>Lifecycle: {@link #create} builds it (nothing runs yet), {@link #start()} starts the
 * informers, workers and sweep and returns at once, {@link #close()} shuts it down gracefully.
 * A controller starts at most once.
 */
public interface ArchiveController extends AutoCloseable {

  /**
   * Builds a controller. It registers its metrics on {@code registry} at once (the
   * {@code archivist_*} series and the {@code workqueue_*} series with {@code name="archive"}),
   * so build at most one per registry.
   *
   * <p>The caller keeps ownership of {@code client} and {@code store}: it must have run
   * {@link ArchiveStore#migrate()} before {@link #start()}, and must close both after
   * {@link #close()}. The store must be scoped ({@code StoreConfig.withScope}) to the same
   * cluster name and instance ID as {@code config}.
   *
   * @param clock the wall clock for archive lag and fallback timestamps
   */
  static ArchiveController create(KubernetesClient client, ArchiveStore store,
      ControllerConfig config, MeterRegistry registry, Clock clock) {
    return ControllerAssembly.of(client, store, config).metrics(registry).clock(clock)
        .buildArchive();
  }

  /**
   * Builds a controller with its lifecycle: quarantine with {@code lifecycle}'s period,
   * {@code --delete-after}, retention GC and, when {@code lifecycle.leaderElect()}, leader
   * election; see {@code docs/architecture.md}, Lifecycle. The obligations of
   * {@link #create(KubernetesClient, ArchiveStore, ControllerConfig, MeterRegistry, Clock)} hold.
   *
   * @param onLostLeadership called once, on a thread of its own, after the work stopped because
   *     the lease was lost; the app exits the process there (a Deployment restarts it)
   */
  static ArchiveController create(KubernetesClient client, ArchiveStore store,
      ControllerConfig config, LifecycleConfig lifecycle, MeterRegistry registry, Clock clock,
      Runnable onLostLeadership) {
    return ControllerAssembly.of(client, store, config).lifecycle(lifecycle).metrics(registry)
        .clock(clock).onLostLeadership(onLostLeadership).build();
  }

  /**
   * Starts watching and archiving; returns at once. With leader election, it starts contending,
   * and the work starts once the lease is acquired. The informers' first lists complete in the
   * background; see {@link #isSynced()}.
   *
   * @throws IllegalStateException if already started or closed
   */
  void start();

  /** True once every informer has listed its Workflows at least once (readiness). */
  boolean isSynced();

  /**
   * Why the controller cannot do its work now, for {@code /readyz}, or null when it can: an
   * informer that cannot list or watch (a 403 names the permission the API server refused), the
   * API server failing every call for longer than a minute, or informers that have not synced.
   */
  default String unreadyReason() {
    return isSynced() ? null : "the informers have not listed the workflows yet";
  }

  /** The counters and gauges a progress line shows; cheap, callable from any thread. */
  ControllerStats stats();

  /**
   * Graceful shutdown, within {@code config.shutdownTimeout()}: stops the informers (no new
   * keys), lets each worker finish the batch it is in (a worker still waiting for archive tokens
   * abandons its batch at once), then shuts the queue down. Workers still busy after the timeout
   * are interrupted. Nothing is lost: whatever was not labelled Archived is listed again on the
   * next start. Does not close the client or the store. Idempotent.
   */
  @Override
  void close();
}
