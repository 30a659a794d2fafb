package dev.archivist.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.metrics.HeapAfterGc;
import dev.archivist.server.ArchiveServer;
import dev.archivist.server.AccessControl;
import dev.archivist.server.ServerOptions;
import dev.archivist.store.ArchiveStore;
import dev.archivist.store.BatchResult;
import dev.archivist.store.StoreConfig;
import dev.archivist.store.WorkflowDocument;
import dev.archivist.store.WorkflowDocuments;
import dev.archivist.testing.TestDatabase;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.node.ObjectNode;

/**
 * A real archive on the test's PostgreSQL schema, served by the same {@link ArchiveServer} that
 * {@code archivist serve} runs, on an ephemeral loopback port. Close it to stop both.
 *
 * <p>The registry also carries the figures a controller would export (archived total, queue
 * depth, archive lag) and the JVM's memory, so the page's status panel reads real Micrometer
 * output.
 */
final class ArchiveFixture implements AutoCloseable {
  static final Instant NEWEST = Instant.parse("2026-11-27T18:04:31Z");

  final ArchiveStore store;
  final PrometheusMeterRegistry registry;
  final AtomicInteger queueDepth = new AtomicInteger();
  private final List<ArchiveServer> servers = new ArrayList<>();

  ArchiveFixture(TestDatabase db) {
    this.store = ArchiveStore.open(StoreConfig.of(db.jdbcUrl(), null, null));
    this.store.migrate();
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new HeapAfterGc().bindTo(registry);
    registry.gauge("workqueue.depth", Tags.of("name", "archive"), queueDepth);
  }

  /** Archives {@code workflows} through the store, {@code batchSize} per transaction. */
  void archive(List<ObjectNode> workflows, int batchSize) {
    List<WorkflowDocument> batch = new ArrayList<>(batchSize);
    for (ObjectNode wf : workflows) {
      batch.add(WorkflowDocuments.fromWorkflow(wf, NEWEST));
      if (batch.size() == batchSize) {
        write(batch);
        batch.clear();
      }
    }
    if (!batch.isEmpty()) {
      write(batch);
    }
  }

  private void write(List<WorkflowDocument> batch) {
    BatchResult result = store.archive(batch);
    assertThat(result.outcomes()).as("seeding the archive")
        .allMatch(o -> o instanceof BatchResult.Written);
    countArchived(batch.size());
  }

  /**
   * Counts {@code n} archived workflows in the registry, as the controller's metrics would, with
   * a plausible lag each: what the status panel's figures are read from.
   */
  void countArchived(long n) {
    registry.counter("archivist.workflows.archived").increment(n);
    registry.timer("archivist.archive.lag").record(Duration.ofMillis(1500));
  }

  /** Starts a server over the archive; returns its base URL, ending with a slash. */
  String start(boolean readOnly) {
    return start(readOnly, null);
  }

  /** As {@link #start(boolean)}, with {@code access} deciding who may do what. */
  String start(boolean readOnly, AccessControl access) {
    ServerOptions options = ServerOptions.defaults().withPort(0).withBindAddress("127.0.0.1")
        .withReadOnly(readOnly);
    ArchiveServer server = ArchiveServer.start(store, options, registry, List.of(), null,
        access);
    servers.add(server);
    return "http://127.0.0.1:" + server.port() + "/";
  }

  @Override
  public void close() {
    try {
      servers.forEach(ArchiveServer::close);
    } finally {
      store.close();
    }
  }
}
