package dev.archivist.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.archivist.controller.kube.ForwardingLifecycleApi;
import dev.archivist.controller.kube.ForwardingWorkflowApi;
import dev.archivist.controller.kube.LifecycleApi;
import dev.archivist.controller.kube.WorkflowApi;
import dev.archivist.core.WorkflowKey;
import dev.archivist.core.WorkflowLabels;
import dev.archivist.store.QuarantineEntry;
import dev.archivist.testing.PostgresExtension;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The lifecycle end to end: fabric8's CRUD mock API server on loopback and a real PostgreSQL.
 * Every test has its own namespace and {@code clustername}, so rows and workflows of different
 * tests never meet.
 */
@ExtendWith(PostgresExtension.class)
class LifecycleControllerTest extends ControllerTestBed {
  /** Keys the lifecycle's GETs read, in order (the archive workers' and the reaper's). */
  final List<String> reads = new CopyOnWriteArrayList<>();
  /** Wraps the lifecycle API after the recording layer; a test may replace it. */
  UnaryOperator<LifecycleApi> lifecycleApiDecorator = UnaryOperator.identity();
  /** Keys the reaper sent a DELETE for. */
  final List<String> deletes = new CopyOnWriteArrayList<>();

  // ---- delete-after ---------------------------------------------------------------------------

  @Test
  void deleteAfter_deletesArchivedWorkflowsOnly() throws Exception {
    PrometheusMeterRegistry registry = registry();
    LifecycleController c = start(LifecycleConfig.defaults()
        .withDeleteAfter(Duration.ofMillis(300)), registry, Clock.systemUTC(), w -> w);
    // Labelled Archived by someone else, with no row in this archive: never ours to delete.
    // Created first and due at once, so the one reaper thread looks at it before "done".
    ObjectNode foreign = TestWorkflows.completed(ns, "foreign");
    TestWorkflows.labels(foreign).put(WorkflowLabels.ARCHIVING_STATUS, "Archived");
    cluster.create(foreign);
    String doneUid = cluster.create(TestWorkflows.completed(ns, "done"));
    cluster.create(TestWorkflows.running(ns, "running"));

    await().until(() -> cluster.get(ns, "done").isEmpty());

    assertThat(rows(doneUid)).as("the archive keeps the row").isEqualTo(1);
    assertThat(deletes).containsExactly(ns + "/done");
    assertThat(cluster.get(ns, "running")).isPresent();
    assertThat(cluster.get(ns, "foreign")).isPresent();
    assertThat(c.stats().deleted()).isEqualTo(1);
    assertThat(registry.scrape()).contains("archivist_workflows_deleted_total 1.0")
        .contains("workqueue_depth{name=\"delete\"}");
  }

  @Test
  void deleteAfter_nameRecreatedBeforeItFallsDue_leavesTheNewWorkflowAlone() throws Exception {
    start(LifecycleConfig.defaults().withDeleteAfter(Duration.ofSeconds(2)), registry(),
        Clock.systemUTC(), w -> w);
    String oldUid = cluster.create(TestWorkflows.completed(ns, "reused"));
    awaitArchived("reused");

    cluster.delete(ns, "reused");
    await().until(() -> cluster.get(ns, "reused").isEmpty());
    String newUid = cluster.create(TestWorkflows.running(ns, "reused"));
    // The old workflow's deadline passes and the reaper looks at the name again.
    int readsBefore = count(reads, ns + "/reused");
    await().until(() -> count(reads, ns + "/reused") > readsBefore);

    assertThat(newUid).isNotEqualTo(oldUid);
    assertThat(cluster.get(ns, "reused")).isPresent()
        .get().extracting(w -> w.path("metadata").path("uid").asString()).isEqualTo(newUid);
    assertThat(deletes).isEmpty();
    assertThat(rows(oldUid)).isEqualTo(1);
  }

  @Test
  void deleteAfter_afterRestart_deletesWhatWasArchivedLongAgo() throws Exception {
    // Archived by an earlier run (the annotation says when), then the process restarted.
    ObjectNode old = TestWorkflows.completed(ns, "old");
    TestWorkflows.labels(old).put(WorkflowLabels.ARCHIVING_STATUS, "Archived");
    ((ObjectNode) old.get("metadata")).putObject("annotations")
        .put(LifecycleApi.ARCHIVED_AT_ANNOTATION, "2026-01-01T00:00:00Z");
    String uid = cluster.create(old);
    store.archive(List.of(dev.archivist.store.WorkflowDocuments.fromWorkflow(
        cluster.get(ns, "old").orElseThrow(), Instant.now())));

    start(LifecycleConfig.defaults().withDeleteAfter(Duration.ofDays(1)), registry(),
        Clock.systemUTC(), w -> w);

    await().until(() -> cluster.get(ns, "old").isEmpty());
    assertThat(deletes).containsExactly(ns + "/old");
    assertThat(rows(uid)).isEqualTo(1);
  }

  // ---- quarantine -----------------------------------------------------------------------------

  @Test
  void quarantine_rejectedRow_isQuarantinedRetriedSlowlyAndLeavesWhenFixed() throws Exception {
    assumeFalse(cluster.validatesObjects(), "a real API server refuses a label value over 63"
        + " characters, the only row the store rejects; such a workflow cannot exist there");
    PrometheusMeterRegistry registry = registry();
    Duration period = Duration.ofMillis(400);
    LifecycleController c = start(LifecycleConfig.defaults().withQuarantineRetryPeriod(period),
        registry, Clock.systemUTC(), w -> w.withMaxRetries(3));
    WorkflowKey badKey = new WorkflowKey(ns, "bad");
    ObjectNode bad = TestWorkflows.completed(ns, "bad");
    // Argo's label column is varchar(63): the store rejects this row, and only this row.
    TestWorkflows.labels(bad).put("example.com/too-long", "v".repeat(100));
    String badUid = cluster.create(bad);
    String goodUid = cluster.create(TestWorkflows.completed(ns, "good"));

    awaitArchived("good");
    await().until(() -> c.archive().quarantine().entry(badKey) != null);
    assertThat(rows(goodUid)).isEqualTo(1);
    assertThat(rows(badUid)).isZero();

    // Visible three ways: the annotation, the archive's log, the counter.
    await().untilAsserted(() -> assertThat(quarantineAnnotation("bad"))
        .contains("\"attempts\":").contains("rejected"));
    List<QuarantineEntry> logged = store.quarantine().list();
    assertThat(logged).singleElement().satisfies(e -> {
      assertThat(e.uid()).isEqualTo(badUid);
      assertThat(e.attempts()).isGreaterThanOrEqualTo(3);
      assertThat(e.lastError()).contains("rejected").contains("63");
    });
    assertThat(registry.scrape()).contains("archivist_workflows_quarantined_total 1.0")
        .contains("archivist_quarantined_workflows 1.0");
    assertThat(c.stats().quarantined()).isEqualTo(1);
    assertThat(cluster.archivingStatus(ns, "bad")).as("never marked done for Argo's GC")
        .isNull();

    // Retried at the slow period: the attempts keep growing, in the log too.
    int seen = c.archive().quarantine().entry(badKey).attempts();
    await().until(() -> c.archive().quarantine().entry(badKey).attempts() >= seen + 2);
    await().until(() -> store.quarantine().list().get(0).attempts() >= seen + 2);
    assertThat(cluster.archivingStatus(ns, "bad")).isNull();

    // Fixed: the next slow attempt archives it, and it leaves quarantine everywhere.
    cluster.label(ns, "bad", Map.of("example.com/too-long", "short"));
    awaitArchived("bad");
    await().until(() -> c.archive().quarantine().entry(badKey) == null);
    assertThat(rows(badUid)).isEqualTo(1);
    await().until(() -> store.quarantine().list().isEmpty());
    await().until(() -> quarantineAnnotation("bad") == null);
    assertThat(registry.scrape()).contains("archivist_quarantined_workflows 0.0")
        .contains("archivist_workflows_quarantined_total 1.0");
  }

  @Test
  void quarantine_afterRestart_isRememberedFromTheDatabase() throws Exception {
    assumeFalse(cluster.validatesObjects(), "a real API server refuses a label value over 63"
        + " characters, the only row the store rejects; such a workflow cannot exist there");
    ObjectNode bad = TestWorkflows.completed(ns, "stuck");
    TestWorkflows.labels(bad).put("example.com/too-long", "v".repeat(100));
    String uid = cluster.create(bad);
    Instant since = Instant.now().minusSeconds(7200).truncatedTo(ChronoUnit.MILLIS);
    store.quarantine().record(new QuarantineEntry(uid, ns, "stuck", 41, "rejected: before",
        since, Instant.now()));

    LifecycleController c = start(LifecycleConfig.defaults()
        .withQuarantineRetryPeriod(Duration.ofMillis(300)), registry(), Clock.systemUTC(),
        w -> w.withMaxRetries(3));

    WorkflowKey key = new WorkflowKey(ns, "stuck");
    await().until(() -> c.archive().quarantine().entry(key) != null
        && c.archive().quarantine().entry(key).attempts() >= 42);
    assertThat(c.archive().quarantine().entry(key).since()).isEqualTo(since);
    assertThat(c.stats().quarantined()).isEqualTo(1);
  }

  // ---- leader election ------------------------------------------------------------------------

  @Test
  void leaderElection_exactlyOneArchives_andTheOtherTakesOverWhenItStops() throws Exception {
    String lease = "lease-" + ns;
    PrometheusMeterRegistry r1 = registry();
    PrometheusMeterRegistry r2 = registry();
    LifecycleController a = start(elect(lease, "a"), r1, Clock.systemUTC(), w -> w);
    LifecycleController b = start(elect(lease, "b"), r2, Clock.systemUTC(), w -> w);
    await().until(() -> a.isLeading() || b.isLeading());
    LifecycleController leader = a.isLeading() ? a : b;
    LifecycleController standby = leader == a ? b : a;
    PrometheusMeterRegistry standbyRegistry = leader == a ? r2 : r1;

    for (int i = 0; i < 5; i++) {
      cluster.create(TestWorkflows.completed(ns, "first-" + i));
    }
    for (int i = 0; i < 5; i++) {
      awaitArchived("first-" + i);
    }
    assertThat(leader.stats().archived()).isEqualTo(5);
    assertThat(standby.stats().archived()).isZero();
    assertThat(standby.isLeading()).isFalse();
    assertThat(standby.isSynced()).as("a standby is ready to serve HTTP").isTrue();
    assertThat(standby.stats().synced()).as("what /readyz reads").isTrue();
    assertThat(standbyRegistry.scrape()).contains("archivist_leader 0.0");

    leader.close();
    await().atMost(Duration.ofSeconds(10)).until(standby::isLeading);
    for (int i = 0; i < 3; i++) {
      cluster.create(TestWorkflows.completed(ns, "second-" + i));
    }
    for (int i = 0; i < 3; i++) {
      awaitArchived("second-" + i);
    }
    assertThat(standby.stats().archived()).isEqualTo(3);
    assertThat(leader.stats().archived()).isEqualTo(5);
    assertThat(standbyRegistry.scrape()).contains("archivist_leader 1.0");
  }

  @Test
  void leaderElection_leaseTakenOver_stopsWritingAndReportsTheLoss() throws Exception {
    String lease = "lease-" + ns;
    AtomicInteger lost = new AtomicInteger();
    LifecycleController c = ControllerAssembly.of(cluster.client(), store, config(w -> w))
        .lifecycle(elect(lease, "victim"))
        .metrics(registry())
        .decorateApi(this::recordingApi)
        .onLostLeadership(lost::incrementAndGet)
        .build();
    toClose.add(c);
    c.start();
    await().until(c::isLeading);
    cluster.create(TestWorkflows.completed(ns, "before"));
    awaitArchived("before");

    // Another replica takes the lease (as after a long pause of ours): renewals now fail.
    // A merge patch without resourceVersion, so that it cannot lose a race with a renewal.
    cluster.client().leases().inNamespace("default").withName(lease)
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"holderIdentity\":"
            + "\"intruder\",\"renewTime\":\"" + ZonedDateTime.now(ZoneOffset.UTC).plusMinutes(10)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")) + "\"}}");

    await().until(() -> lost.get() == 1);
    // The fence closed before the loss was reported, and the work is stopped: the archive
    // queue is shut down and its workers have ended, so nothing more is written.
    assertThat(c.mayWrite()).isFalse();
    assertThat(c.isLeading()).isFalse();
    assertThat(c.archive().queue().isShuttingDown()).isTrue();
    assertThat(c.archive().drainedAtClose()).isTrue();
    Lease now = cluster.client().leases().inNamespace("default").withName(lease).get();
    assertThat(now.getSpec().getHolderIdentity()).as("a lost lease is not released")
        .isEqualTo("intruder");
  }

  // ---- retention GC ---------------------------------------------------------------------------

  @Test
  void retentionGc_onTheLeader_deletesOnlyExpiredRows_soonAfterStart() throws Exception {
    // The test workflows finished 2026-11-27T10:05Z; "now" is a day and a bit later.
    Clock clock = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);
    ObjectNode recent = TestWorkflows.completed(ns, "recent");
    ((ObjectNode) recent.get("status")).put("finishedAt", "2026-11-28T11:00:00Z");
    String recentUid = cluster.create(recent);
    String oldUid = cluster.create(TestWorkflows.completed(ns, "old"));
    PrometheusMeterRegistry registry = registry();
    LifecycleController c = start(LifecycleConfig.defaults()
        .withRetention(Duration.ofHours(24), Duration.ofMillis(200)), registry, clock, w -> w);
    awaitArchived("recent");
    awaitArchived("old");

    // The row goes at the commit and the count a moment later: wait for both.
    await().until(() -> rows(oldUid) == 0 && c.metrics().gcDeletedCount() >= 1);

    assertThat(rows(recentUid)).isEqualTo(1);
    assertThat(registry.scrape()).contains("archivist_archive_gc_deleted_total");
  }

  @Test
  void retentionGc_notTheLeader_deletesNothing() throws Exception {
    String lease = "lease-" + ns;
    // Someone else holds the lease for the whole test.
    cluster.client().leases().inNamespace("default").resource(new io.fabric8.kubernetes.api.model
        .coordination.v1.LeaseBuilder().withNewMetadata().withName(lease).endMetadata()
        .withNewSpec().withHolderIdentity("other").withLeaseDurationSeconds(3600)
        .withAcquireTime(ZonedDateTime.now(ZoneOffset.UTC))
        .withRenewTime(ZonedDateTime.now(ZoneOffset.UTC).plusHours(1)).endSpec().build())
        .create();
    String uid = cluster.create(TestWorkflows.completed(ns, "kept"));
    store.archive(List.of(dev.archivist.store.WorkflowDocuments.fromWorkflow(
        cluster.get(ns, "kept").orElseThrow(), Instant.now())));
    LifecycleController c = start(elect(lease, "standby")
        .withRetention(Duration.ofSeconds(1), Duration.ofMillis(100)), registry(),
        Clock.systemUTC(), w -> w);

    assertThat(c.runGcOnce()).as("the GC refuses to run without the lease").isEqualTo(-1);
    assertThat(rows(uid)).isEqualTo(1);
    assertThat(c.isLeading()).isFalse();
  }

  // ---- helpers --------------------------------------------------------------------------------

  LifecycleConfig elect(String lease, String identity) {
    return LifecycleConfig.defaults().withLeaderElection(lease, "default", identity)
        .withLeaseTimings(Duration.ofSeconds(2), Duration.ofMillis(1500),
            Duration.ofMillis(500));
  }

  ControllerConfig config(UnaryOperator<ControllerConfig> tweak) {
    return tweak.apply(ControllerConfig.defaults()
        .withNamespaces(List.of(ns))
        .withClusterName(clusterName)
        .withWorkers(2)
        .withBatchSize(10)
        .withRetryDelays(Duration.ofMillis(10), Duration.ofMillis(100))
        .withShutdownTimeout(Duration.ofSeconds(20)));
  }

  LifecycleController start(LifecycleConfig lifecycle, PrometheusMeterRegistry registry,
      Clock clock, UnaryOperator<ControllerConfig> tweak) {
    LifecycleController c = ControllerAssembly.of(cluster.client(), store, config(tweak))
        .lifecycle(lifecycle)
        .metrics(registry)
        .clock(clock)
        .decorateApi(this::recordingApi)
        .decorateLifecycleApi(api -> lifecycleApiDecorator.apply(recordingLifecycleApi(api)))
        .build();
    toClose.add(c);
    c.start();
    if (!lifecycle.leaderElect()) {
      await().until(c::isSynced);
    }
    return c;
  }

  WorkflowApi recordingApi(WorkflowApi api) {
    return new ForwardingWorkflowApi(api) {
      @Override
      public Optional<JsonNode> get(WorkflowKey key) {
        Optional<JsonNode> found = api.get(key);
        reads.add(key.toString());
        return found;
      }
    };
  }

  LifecycleApi recordingLifecycleApi(LifecycleApi api) {
    return new ForwardingLifecycleApi(api) {
      @Override
      public DeleteResult delete(WorkflowKey key, String uid, String resourceVersion) {
        deletes.add(key.toString());
        return api.delete(key, uid, resourceVersion);
      }
    };
  }

  static PrometheusMeterRegistry registry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  String quarantineAnnotation(String name) {
    return cluster.get(ns, name)
        .map(w -> w.path("metadata").path("annotations")
            .path(LifecycleApi.QUARANTINE_ANNOTATION).asString(null))
        .orElse(null);
  }

  static int count(List<String> list, String value) {
    return (int) list.stream().filter(value::equals).count();
  }
}
