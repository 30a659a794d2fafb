package dev.archivist.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.testing.Fixtures;
import dev.archivist.testing.KubeExtension;
import dev.archivist.testing.TestCluster;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The short version of {@code bench/chaos}: a few hundred workflows and each fault once, on
 * the test run's real API server and a private PostgreSQL, with two replicas, leader election and
 * {@code --delete-after}. Asserts the account, never a timing: nothing lost or duplicated, every
 * stored copy the workflow's last state, the poison ones quarantined with a reason and listed by
 * {@code archivist quarantine}, the archived ones deleted, and the live heap under its bound.
 */
@ExtendWith(KubeExtension.class)
class ChaosCampaignTest {
  @Test
  void campaign_everyFaultOnce_accountsForEveryWorkflow(TestCluster cluster) throws Exception {
    Path root = Path.of(System.getProperty(Fixtures.REPO_ROOT_PROPERTY, "..")).toAbsolutePath();
    Path out = root.resolve("bench/target/chaos-test");
    String runId = "t" + Long.toString(System.currentTimeMillis(), 36);
    // A stream at 2/s (2 KiB..64 KiB, every 40th compressed) for as long as the faults take and
    // at least 120 workflows, a burst of 200 past a
    // queue of 20, 10 s database outage and slowdown, 5 s without an API server, one leader kill,
    // 4 workflows each re-created and retried; the live heap bound is the campaign's 64 MiB at
    // -Xmx256m (docs/reliability.md says what an idle replica and the read budget take). Lag is not
    // asserted (a timing), so the settle after each fault is short.
    ChaosSettings s = new ChaosSettings(runId, 120, 2, 2048, 64 * 1024, 40, 20, 10, 10, 200, 5,
        1, false, "256m", 64, 0, 18290, 20, 300, 4, out.resolve(runId));
    Account account;
    try (PrivatePostgres db = PrivatePostgres.start(out.resolve("pg-" + runId))) {
      account = new ChaosCampaign(s, new TestClusterAdapter(cluster), db,
          Fixtures.locate(root).resolve("kfp")).run();
    }
    System.out.println(account.table());
    @SuppressWarnings("unchecked")
    Map<String, Object> a = (Map<String, Object>) account.report().get("account");
    assertThat(a.get("lost")).as("lost workflows: %s", a.get("lost_workflows")).isEqualTo(0);
    assertThat(a.get("duplicated_rows")).isEqualTo(0L);
    assertThat(a.get("rows_of_unknown_uids")).isEqualTo(0);
    assertThat(account.failures()).as(account.table()).isEmpty();
  }

  /** The test run's cluster, whose kill, restart and compaction the campaign uses. */
  private record TestClusterAdapter(TestCluster cluster) implements ChaosCluster {
    @Override
    public Path kubeconfig() {
      return cluster.kubeconfig();
    }

    @Override
    public void killApiServer() {
      cluster.killApiServer();
    }

    @Override
    public void startApiServer() {
      cluster.startApiServer();
    }

    @Override
    public long compactEtcd() {
      return cluster.compactEtcd();
    }
  }
}
