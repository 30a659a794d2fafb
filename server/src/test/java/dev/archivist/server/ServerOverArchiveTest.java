package dev.archivist.server;

import dev.archivist.store.ArchiveStore;
import dev.archivist.store.StoreConfig;
import dev.archivist.testing.PostgresExtension;
import dev.archivist.testing.TestDatabase;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shape the server tests that start servers of their own share: one migrated PostgreSQL
 * archive for the test class, a registry per test, and every server a test started (through
 * {@link #started}) closed after it.
 */
@ExtendWith(PostgresExtension.class)
abstract class ServerOverArchiveTest {
  static final String LIST = "/api/v1/archived-workflows";

  static ArchiveStore store;
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final List<ArchiveServer> servers = new ArrayList<>();

  @BeforeAll
  static void openStore(TestDatabase db) {
    store = ArchiveStore.open(StoreConfig.of(db.jdbcUrl(), null, null));
    store.migrate();
  }

  @AfterAll
  static void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  @AfterEach
  void stopServers() {
    servers.forEach(ArchiveServer::close);
  }

  /** Options that listen on a free port of the loopback address. */
  static ServerOptions onLoopback() {
    return ServerOptions.defaults().withPort(0).withBindAddress("127.0.0.1");
  }

  /** Closes {@code server} after the test. */
  ArchiveServer started(ArchiveServer server) {
    servers.add(server);
    return server;
  }
}
