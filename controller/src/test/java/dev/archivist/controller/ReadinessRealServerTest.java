package dev.archivist.controller;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.store.ArchiveStore;
import dev.archivist.store.StoreConfig;
import dev.archivist.testing.KubeExtension;
import dev.archivist.testing.PostgresExtension;
import dev.archivist.testing.TestDatabase;
import dev.archivist.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A controller whose ServiceAccount may not list workflows says so, and is not ready. */
@ExtendWith({PostgresExtension.class, KubeExtension.class})
class ReadinessRealServerTest {

  @Test
  void unreadyReason_listForbidden_namesTheMissingPermission(TestNamespace ns, TestDatabase db) {
    KubernetesClient onlyGet = ns.actAs("no-list", List.of(new PolicyRuleBuilder()
        .withApiGroups("argoproj.io").withResources("workflows").withVerbs("get", "patch")
        .build()), List.of());
    ControllerConfig config = ControllerConfig.defaults().withNamespaces(List.of(ns.name()))
        .withShutdownTimeout(Duration.ofSeconds(5));
    try (ArchiveStore store = ArchiveStore.open(StoreConfig.of(db.jdbcUrl(), null, null));
        DefaultArchiveController c = ControllerAssembly.of(onlyGet, store, config)
            .buildArchive()) {
      store.migrate();
      c.start();

      Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> c.unreadyReason() != null
          && c.unreadyReason().contains("403"));

      assertThat(c.unreadyReason()).contains("list and watch")
          .contains("cannot list resource \"workflows\" in API group \"argoproj.io\"")
          .contains(ns.name());
      assertThat(c.isSynced()).isFalse();
    }
  }
}
