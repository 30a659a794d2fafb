package dev.archivist.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.store.ArchiveStore;
import dev.archivist.store.StoreConfig;
import dev.archivist.testing.PostgresExtension;
import dev.archivist.testing.TestDatabase;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * With {@code --finalizer}, readiness waits for the finalizer's informers as well as the archive
 * informers: a controller that lists its completed workflows but may not list the others cannot
 * hold them, and is not ready. The API server here is fabric8's mock, made to refuse only the
 * finalizer's list (its selector lacks the completed label); a real API server cannot refuse one
 * label selector and grant another, so only the mock can split the two.
 */
@ExtendWith(PostgresExtension.class)
class FinalizerReadinessTest {
  private static final String NS = "archive";

  @Test
  void unreadyReason_finalizerInformersRefused_notReadyAndNamesThePermission(TestDatabase db) {
    try (Run run = Run.start(db, true, true)) {
      DefaultArchiveController c = run.controller();

      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> c.unreadyReason() != null
          && c.unreadyReason().contains("forbidden"));
      assertThat(c.unreadyReason())
          .contains("cannot list workflows.argoproj.io in namespace " + NS);
      assertThat(c.isSynced()).isFalse();
      assertThat(c.stats().synced()).isFalse();
      assertThat(run.cluster().refused.get()).as("lists refused (the finalizer's only)")
          .isPositive();
    }
  }

  /**
   * Every informer the controller runs may list: ready, and synced in the stats. Either the same
   * refusing server without the finalizer (only the archive informers list, and do), or a server
   * that refuses nothing with it (both sets list).
   */
  @ParameterizedTest(name = "refuseFinalizerLists={0}, finalizer={1}")
  @CsvSource({"true, false", "false, true"})
  void unreadyReason_everyInformerMayList_ready(boolean refuseFinalizerLists, boolean finalizer,
      TestDatabase db) {
    try (Run run = Run.start(db, refuseFinalizerLists, finalizer)) {
      Awaitility.await().atMost(Duration.ofSeconds(30))
          .until(() -> run.controller().unreadyReason() == null);
      assertThat(run.controller().isSynced()).isTrue();
      assertThat(run.controller().stats().synced()).isTrue();
      assertThat(run.cluster().refused.get()).isZero();
    }
  }

  /** A started controller on its own mock server and archive; closing stops all three. */
  private record Run(Cluster cluster, ArchiveStore store, DefaultArchiveController controller)
      implements AutoCloseable {
    static Run start(TestDatabase db, boolean refuseFinalizerLists, boolean finalizer) {
      Cluster cluster = new Cluster(refuseFinalizerLists);
      ArchiveStore store = ArchiveStore.open(StoreConfig.of(db.jdbcUrl(), null, null));
      store.migrate();
      DefaultArchiveController c = ControllerAssembly.of(cluster.client, store,
              ControllerConfig.defaults().withNamespaces(List.of(NS))
                  .withShutdownTimeout(Duration.ofSeconds(5)))
          .lifecycle(LifecycleConfig.defaults().withFinalizer(finalizer))
          .buildArchive();
      c.start();
      return new Run(cluster, store, c);
    }

    @Override
    public void close() {
      controller.close();
      store.close();
      cluster.close();
    }
  }

  /** The mock API server in CRUD mode, refusing (when told) every list of all workflows. */
  private static final class Cluster implements AutoCloseable {
    final KubernetesMockServer server;
    final KubernetesClient client;
    final AtomicInteger refused = new AtomicInteger();

    Cluster(boolean refuseFinalizerLists) {
      KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher() {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
          String path = URLDecoder.decode(request.getPath(), StandardCharsets.UTF_8);
          if (refuseFinalizerLists && request.getMethod().equals("GET")
              && path.contains("/workflows?") && !path.contains("watch=true")
              && !path.contains("workflows.argoproj.io/completed")) {
            refused.incrementAndGet();
            return new MockResponse().setResponseCode(403).setBody("{\"kind\":\"Status\","
                + "\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"workflows."
                + "argoproj.io is forbidden: User \\\"archivist\\\" cannot list resource"
                + " \\\"workflows\\\" in API group \\\"argoproj.io\\\" in the namespace \\\""
                + NS + "\\\"\",\"reason\":\"Forbidden\",\"details\":{\"group\":\"argoproj.io\","
                + "\"kind\":\"workflows\"},\"code\":403}");
          }
          return super.dispatch(request);
        }
      };
      server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
          crud, false);
      server.init(InetAddress.getLoopbackAddress(), 0);
      client = server.createClient();
    }

    @Override
    public void close() {
      client.close();
      server.destroy();
    }
  }
}
