package dev.archivist.bench.memory;

import dev.archivist.store.ArchiveStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;

/** The product's own controller, as {@code archivist run} starts it. */
final class ArchivistRunner {
  private ArchivistRunner() {}

  static ArchiverUnderTest create(KubernetesClient client, ArchiveStore store, double archiveQps,
      int workers, int batchSize, Clock clock) {
    // TEMPORARY until ArchiveController lands on main.
    throw new UnsupportedOperationException("ArchiveController is not on main yet");
  }
}
