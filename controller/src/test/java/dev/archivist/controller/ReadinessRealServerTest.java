package dev.archivist.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.store.ArchiveStore;
import dev.archivist.store.StoreConfig;
import dev.archivist.testing.KubeExtension;
import dev.archivist.testing.PostgresExtension;
import dev.archivist.testing.TcpProxy;
import dev.archivist.testing.TestDatabase;
import dev.archivist.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Readiness on a real API server: a controller whose ServiceAccount may not list, or may not
 * watch, workflows is not ready and names the permission it lacks (verb, resource, group and
 * namespace); one that cannot reach the API server is not ready past the bound.
 */
@ExtendWith({PostgresExtension.class, KubeExtension.class})
class ReadinessRealServerTest {

  @Test
  void unreadyReason_listForbidden_namesTheMissingPermission(TestNamespace ns, TestDatabase db) {
    String reason = unreadyReasonWith(ns, db, "no-list", "get", "patch", "watch");

    assertThat(reason).contains("forbidden: cannot list workflows.argoproj.io in namespace "
            + ns.name() + ": grant list on workflows.argoproj.io in namespace " + ns.name())
        .contains("cannot list resource \"workflows\" in API group \"argoproj.io\"");
  }

  /** A refused watch reaches the client as a bare Forbidden status: the verb is ours to say. */
  @Test
  void unreadyReason_watchForbidden_namesTheMissingPermission(TestNamespace ns,
      TestDatabase db) {
    String reason = unreadyReasonWith(ns, db, "no-watch", "get", "patch", "list");

    assertThat(reason).contains("forbidden: cannot watch workflows.argoproj.io in namespace "
        + ns.name() + ": grant watch on workflows.argoproj.io in namespace " + ns.name());
  }

  /**
   * The API server becomes unreachable for the controller (its connections go through a proxy
   * that is cut off): with nothing to archive the workers call nothing, and only the informers'
   * watch notices. The controller turns unready once every call has failed for longer than the
   * bound (shortened here from a minute to 3 s), and ready again once the server answers.
   */
  @Test
  void unreadyReason_apiServerUnreachable_unreadyPastTheBoundThenReadyAgain(TestNamespace ns,
      TestDatabase db) throws Exception {
    URI server = URI.create(ns.cluster().serverUrl());
    try (TcpProxy proxy = new TcpProxy(server.getHost(), server.getPort())) {
      KubernetesClient client = ns.clientFor(new ConfigBuilder(ns.admin().getConfiguration())
          .withMasterUrl("https://" + server.getHost() + ":" + proxy.port()).build());
      ControllerConfig config = ControllerConfig.defaults().withNamespaces(List.of(ns.name()))
          .withShutdownTimeout(Duration.ofSeconds(5));
      try (ArchiveStore store = ArchiveStore.open(StoreConfig.of(db.jdbcUrl(), null, null));
          DefaultArchiveController c = ControllerAssembly.of(client, store, config)
              .kubeOutageBound(Duration.ofSeconds(3)).buildArchive()) {
        store.migrate();
        c.start();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> c.unreadyReason() == null);

        proxy.cutOff();
        Awaitility.await().atMost(Duration.ofSeconds(90))
            .until(() -> c.unreadyReason() != null);
        assertThat(c.unreadyReason()).contains("every call to the API server has failed for")
            .contains("longer than the bound of 3 s");

        proxy.restore();
        Awaitility.await().atMost(Duration.ofSeconds(120))
            .until(() -> c.unreadyReason() == null);
      }
    }
  }

  /**
   * Runs the archive controller as ServiceAccount {@code account} granted only {@code verbs} on
   * workflows; returns its unready reason once that is a refusal.
   */
  private static String unreadyReasonWith(TestNamespace ns, TestDatabase db, String account,
      String... verbs) {
    KubernetesClient client = ns.actAs(account, List.of(new PolicyRuleBuilder()
        .withApiGroups("argoproj.io").withResources("workflows").withVerbs(verbs)
        .build()), List.of());
    ControllerConfig config = ControllerConfig.defaults().withNamespaces(List.of(ns.name()))
        .withShutdownTimeout(Duration.ofSeconds(5));
    try (ArchiveStore store = ArchiveStore.open(StoreConfig.of(db.jdbcUrl(), null, null));
        DefaultArchiveController c = ControllerAssembly.of(client, store, config)
            .buildArchive()) {
      store.migrate();
      c.start();

      Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> c.unreadyReason() != null
          && c.unreadyReason().contains("forbidden"));
      return c.unreadyReason();
    }
  }
}
