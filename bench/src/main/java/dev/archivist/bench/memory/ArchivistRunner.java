package dev.archivist.bench.memory;

import dev.archivist.controller.ArchiveController;
import dev.archivist.controller.ControllerConfig;
import dev.archivist.store.ArchiveStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The product's own controller, built exactly as {@code archivist run} builds it
 * ({@link ArchiveController#create}), with the benchmark's rate limit, workers and batch size and
 * every other setting at its default.
 */
final class ArchivistRunner implements ArchiverUnderTest {
  private final ArchiveController controller;

  private ArchivistRunner(ArchiveController controller) {
    this.controller = controller;
  }

  static ArchiverUnderTest create(KubernetesClient client, ArchiveStore store, double archiveQps,
      int workers, int batchSize, Clock clock) {
    ControllerConfig config = ControllerConfig.defaults()
        .withArchiveQps(archiveQps)
        .withWorkers(workers)
        .withBatchSize(batchSize);
    return new ArchivistRunner(ArchiveController.create(client, store, config,
        new SimpleMeterRegistry(), clock));
  }

  @Override
  public void start() {
    controller.start();
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (!controller.isSynced()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the archive controller's informers did not sync in 2"
            + " minutes: " + controller.stats());
      }
      LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // start() returns before the sync
    }
  }

  @Override
  public long archived() {
    return controller.stats().archived();
  }

  @Override
  public void close() {
    controller.close();
  }
}
