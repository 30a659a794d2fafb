package dev.archivist.controller.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.controller.TestWorkflows;
import dev.archivist.controller.kube.LifecycleApi;
import dev.archivist.controller.kube.WorkflowApi;
import dev.archivist.controller.metrics.FailureReason;
import dev.archivist.controller.metrics.LifecycleMetrics;
import dev.archivist.core.WorkflowKey;
import dev.archivist.store.QuarantineEntry;
import dev.archivist.store.QuarantineLog;
import dev.archivist.testing.MutableClock;
import dev.archivist.workqueue.RateLimiters;
import dev.archivist.workqueue.RateLimitingQueue;
import dev.archivist.workqueue.WorkQueues;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Quarantine's decisions with a hand-driven clock, recording fakes and the real queue. */
class QuarantineTest {
  private static final Duration PERIOD = Duration.ofHours(1);
  private static final WorkflowKey KEY = new WorkflowKey("ns", "bad");

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T00:00:00Z"));
  private final AtomicLong nanos = new AtomicLong();
  private final Map<WorkflowKey, String> uids = new LinkedHashMap<>();
  private final List<String> annotations = new ArrayList<>();
  private final List<String> removals = new ArrayList<>();
  private final RecordingLog quarantineLog = new RecordingLog();
  private final AtomicBoolean fence = new AtomicBoolean(true);
  private final LifecycleMetrics metrics = LifecycleMetrics.local();
  private RateLimitingQueue<WorkflowKey> queue;
  private Quarantine quarantine;

  @BeforeEach
  void setUp() {
    queue = WorkQueues.<WorkflowKey>builder().name("test").ticker(nanos::get)
        .rateLimiter(RateLimiters.exponentialFailure(Duration.ofMillis(5), Duration.ofSeconds(1)))
        .buildRateLimiting();
    uids.put(KEY, "uid-1");
    quarantine = new Quarantine(queue, new FakeApi(), new FakeLifecycleApi(), quarantineLog, 3,
        PERIOD, clock, fence::get, metrics);
  }

  @AfterEach
  void tearDown() {
    queue.shutDown();
  }

  @Test
  void failed_beforeMaxRetries_leavesTheKeyToTheBackoff() {
    assertThat(quarantine.failed(KEY, FailureReason.REJECTED, "too long", 0)).isFalse();
    assertThat(quarantine.failed(KEY, FailureReason.REJECTED, "too long", 1)).isFalse();
    assertThat(quarantine.size()).isZero();
    assertThat(annotations).isEmpty();
    assertThat(quarantineLog.rows).isEmpty();
  }

  @Test
  void failed_atMaxRetries_quarantinesRecordsAnnotatesAndCounts() {
    assertThat(quarantine.failed(KEY, FailureReason.REJECTED, "label too long", 2)).isTrue();

    Quarantine.Entry e = quarantine.entry(KEY);
    assertThat(e.attempts()).isEqualTo(3);
    assertThat(e.uid()).isEqualTo("uid-1");
    assertThat(e.since()).isEqualTo(clock.instant());
    assertThat(quarantine.size()).isEqualTo(1);
    assertThat(metrics.quarantinedCount()).isEqualTo(1);
    assertThat(quarantineLog.rows.get("uid-1").attempts()).isEqualTo(3);
    assertThat(quarantineLog.rows.get("uid-1").lastError()).isEqualTo("rejected: label too long");
    assertThat(annotations).singleElement().asString()
        .contains("\"attempts\":3").contains("\"lastError\":\"rejected: label too long\"")
        .contains("\"since\":\"2026-11-28T00:00:00Z\"");
    assertThat(queue.len()).as("the next attempt waits a whole period").isZero();
  }

  @Test
  void failed_databaseOrKubeGet_neverQuarantines() {
    assertThat(quarantine.failed(KEY, FailureReason.DATABASE, "down", 50)).isFalse();
    assertThat(quarantine.failed(KEY, FailureReason.KUBE_GET, "503", 50)).isFalse();
    assertThat(quarantine.size()).isZero();
  }

  @Test
  void admit_beforeThePeriod_holdsTheKeyOff_afterIt_letsItThrough() {
    quarantine.failed(KEY, FailureReason.REJECTED, "x", 2);
    WorkflowKey other = new WorkflowKey("ns", "fine");

    clock.advance(PERIOD.minusSeconds(1));
    assertThat(quarantine.admit(List.of(KEY, other))).containsExactly(other);

    clock.advance(Duration.ofSeconds(1));
    assertThat(quarantine.admit(List.of(KEY, other))).containsExactly(KEY, other);
  }

  @Test
  void failed_inQuarantine_countsUpAndKeepsSince() {
    Instant since = clock.instant();
    quarantine.failed(KEY, FailureReason.REJECTED, "x", 2);
    clock.advance(PERIOD);
    assertThat(quarantine.failed(KEY, FailureReason.REJECTED, "still x", 3)).isTrue();
    clock.advance(PERIOD);
    // Even a failure that would not quarantine on its own is counted once in quarantine.
    assertThat(quarantine.failed(KEY, FailureReason.DATABASE, "down", 3)).isTrue();

    Quarantine.Entry e = quarantine.entry(KEY);
    assertThat(e.attempts()).isEqualTo(5);
    assertThat(e.since()).isEqualTo(since);
    assertThat(e.lastFailedAt()).isEqualTo(clock.instant());
    assertThat(quarantineLog.rows.get("uid-1").attempts()).isEqualTo(5);
    assertThat(metrics.quarantinedCount()).as("entering is counted once").isEqualTo(1);
    assertThat(annotations).hasSize(3);
  }

  @Test
  void leave_clearsTheRowAndTheAnnotation() {
    quarantine.failed(KEY, FailureReason.REJECTED, "x", 2);

    quarantine.leave(KEY, "archived");

    assertThat(quarantine.size()).isZero();
    assertThat(quarantineLog.rows).isEmpty();
    assertThat(removals).containsExactly("ns/bad uid-1");
    quarantine.leave(KEY, "archived");
    assertThat(removals).as("leaving twice does nothing more").hasSize(1);
  }

  @Test
  void failed_workflowReplacedUnderItsName_startsTheNewOneWithTheBackoff() {
    quarantine.failed(KEY, FailureReason.REJECTED, "x", 2);
    uids.put(KEY, "uid-2");

    assertThat(quarantine.failed(KEY, FailureReason.REJECTED, "y", 3)).isFalse();

    assertThat(quarantine.size()).isZero();
    assertThat(quarantineLog.rows).as("the old uid's row is cleared").isEmpty();
    assertThat(queue.numRequeues(KEY)).isZero();
  }

  @Test
  void failed_workflowGone_leavesQuarantine() {
    quarantine.failed(KEY, FailureReason.REJECTED, "x", 2);
    uids.remove(KEY);

    assertThat(quarantine.failed(KEY, FailureReason.REJECTED, "y", 3)).isTrue();

    assertThat(quarantine.size()).isZero();
    assertThat(quarantineLog.rows).isEmpty();
  }

  @Test
  void load_restoresEntriesSoThatARestartKeepsTheScheduleAndCount() {
    Instant since = clock.instant();
    quarantineLog.rows.put("uid-1", new QuarantineEntry("uid-1", "ns", "bad", 7, "old error",
        since, since));
    Quarantine restarted = new Quarantine(queue, new FakeApi(), new FakeLifecycleApi(),
        quarantineLog, 3, PERIOD, clock, fence::get, metrics);

    restarted.load();

    assertThat(restarted.entry(KEY).attempts()).isEqualTo(7);
    assertThat(restarted.admit(List.of(KEY))).isEmpty();
    clock.advance(PERIOD);
    assertThat(restarted.admit(List.of(KEY))).containsExactly(KEY);
    restarted.failed(KEY, FailureReason.REJECTED, "x", 0);
    assertThat(restarted.entry(KEY).attempts()).isEqualTo(8);
  }

  @Test
  void failed_withoutTheLease_writesNothing() {
    fence.set(false);

    assertThat(quarantine.failed(KEY, FailureReason.REJECTED, "x", 2)).isTrue();

    assertThat(quarantine.size()).isEqualTo(1);
    assertThat(quarantineLog.rows).isEmpty();
    assertThat(annotations).isEmpty();
  }

  // ---- fakes ----------------------------------------------------------------------------------

  private final class FakeApi implements WorkflowApi {
    @Override
    public Optional<JsonNode> get(WorkflowKey key) {
      String uid = uids.get(key);
      if (uid == null) {
        return Optional.empty();
      }
      ObjectNode wf = TestWorkflows.completed(key.namespace(), key.name());
      ((ObjectNode) wf.get("metadata")).put("uid", uid);
      return Optional.of(wf);
    }

    @Override
    public MarkResult markArchived(WorkflowKey key, WorkflowApi.Marking marking) {
      throw new AssertionError("quarantine never marks");
    }

    @Override
    public WorkflowApi.Page list(String namespace, String selector, int limit,
        String continueToken) {
      throw new AssertionError("no LIST here");
    }
  }

  private final class FakeLifecycleApi implements LifecycleApi {
    @Override
    public boolean annotateQuarantine(WorkflowKey key, String uid, String json) {
      annotations.add(json);
      return true;
    }

    @Override
    public boolean removeQuarantineAnnotation(WorkflowKey key, String uid) {
      removals.add(key + " " + uid);
      return true;
    }

    @Override
    public DeleteResult delete(WorkflowKey key, String uid, String resourceVersion) {
      throw new AssertionError("quarantine never deletes");
    }
  }

  private static final class RecordingLog implements QuarantineLog {
    final Map<String, QuarantineEntry> rows = new LinkedHashMap<>();

    @Override
    public void record(QuarantineEntry entry) {
      rows.put(entry.uid(), entry);
    }

    @Override
    public boolean clear(String uid) {
      return rows.remove(uid) != null;
    }

    @Override
    public List<QuarantineEntry> list() {
      return List.copyOf(rows.values());
    }
  }
}
