package dev.archivist.controller.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.controller.archive.KeyOutcome.Abandoned;
import dev.archivist.controller.archive.KeyOutcome.Archived;
import dev.archivist.controller.archive.KeyOutcome.SkipReason;
import dev.archivist.controller.archive.KeyOutcome.Skipped;
import dev.archivist.controller.informer.InformerSelector;
import dev.archivist.controller.kube.FinalizerApi;
import dev.archivist.controller.kube.WorkflowApi;
import dev.archivist.controller.kube.WorkflowApi.MarkResult;
import dev.archivist.controller.kube.WorkflowApiException;
import dev.archivist.controller.metrics.ControllerMetrics;
import dev.archivist.controller.metrics.FailureReason;
import dev.archivist.core.LabelSelector;
import dev.archivist.core.WorkflowKey;
import dev.archivist.core.WorkflowLabels;
import dev.archivist.store.ArchiveStore;
import dev.archivist.store.BatchResult;
import dev.archivist.store.WorkflowDocument;
import java.lang.ref.WeakReference;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The order of a batch's steps. A worker waiting for archive tokens must hold keys, not
 * workflows: otherwise a throttled archive keeps workers x batch-size whole objects on the heap.
 */
class BatchArchiverTest {
  private final List<String> events = new ArrayList<>();

  private final WorkflowApi goneEverywhere = getsAndMarks(key -> {
    events.add("get " + key);
    return Optional.empty();
  }, (key, marking) -> {
    throw new AssertionError("nothing to mark");
  });

  /** A store that no test here may reach. */
  private final ArchiveStore unreachableStore = (ArchiveStore) Proxy.newProxyInstance(
      ArchiveStore.class.getClassLoader(), new Class<?>[] {ArchiveStore.class},
      (proxy, method, args) -> {
        throw new AssertionError("store." + method.getName() + " called");
      });

  private final List<WorkflowKey> keys =
      List.of(new WorkflowKey("ns", "a"), new WorkflowKey("ns", "b"));

  @Test
  void archive_takesTheBatchsTokensBeforeReadingAnyWorkflow() {
    ArchiveTokens recording = n -> events.add("take " + n);
    BatchArchiver archiver = new BatchArchiver(goneEverywhere, unreachableStore, recording,
        LabelSelector.everything(), ControllerMetrics.NOOP, Clock.systemUTC());

    List<KeyOutcome> outcomes = archiver.archive(keys);

    assertThat(events).containsExactly("take 2", "get ns/a", "get ns/b");
    assertThat(outcomes).extracting(o -> ((Skipped) o).reason())
        .containsOnly(SkipReason.GONE);
  }

  @Test
  void archive_interruptedWhileWaitingForTokens_readsNothingAndAbandonsEveryKey() {
    ArchiveTokens stopped = n -> {
      throw new InterruptedException("shutting down");
    };
    BatchArchiver archiver = new BatchArchiver(goneEverywhere, unreachableStore, stopped,
        LabelSelector.everything(), ControllerMetrics.NOOP, Clock.systemUTC());

    List<KeyOutcome> outcomes = archiver.archive(keys);

    assertThat(events).isEmpty();
    assertThat(outcomes).containsExactlyInAnyOrder(new Abandoned(keys.get(0)),
        new Abandoned(keys.get(1)));
    assertThat(Thread.interrupted()).as("the interrupt is restored").isTrue();
  }

  /**
   * A workflow being deleted that holds our finalizer is released without a write when it is no
   * longer selected, or when it is labelled Archived and its row exists.
   */
  @Test
  void archive_beingDeletedAndNotSelectedOrArchivedWithARow_isReleasedWithoutAWrite() {
    List<String> marks = new ArrayList<>();
    WorkflowApi deleting = getsAndMarks(key -> {
      ObjectNode wf = beingDeleted(key);
      ObjectNode labels = (ObjectNode) wf.get("metadata").get("labels");
      if (key.name().equals("a")) {
        labels.put("team", "other");
      } else {
        labels.put(WorkflowLabels.ARCHIVING_STATUS, WorkflowLabels.STATUS_ARCHIVED);
      }
      return Optional.of(wf);
    }, (key, marking) -> {
      marks.add(key.name() + " deleting=" + marking.deleting() + " at "
          + marking.finalizerIndex());
      return MarkResult.MARKED;
    });
    List<String> exists = new ArrayList<>();
    ArchiveStore rowsOnly = (ArchiveStore) Proxy.newProxyInstance(
        ArchiveStore.class.getClassLoader(), new Class<?>[] {ArchiveStore.class},
        (proxy, method, args) -> {
          if (method.getName().equals("exists")) {
            exists.add((String) args[0]);
            return true;
          }
          throw new AssertionError("store." + method.getName() + " called");
        });
    BatchArchiver archiver = new BatchArchiver(deleting, rowsOnly, n -> { },
        InformerSelector.archiveCandidates("", LabelSelector.parse("team!=other")),
        ControllerMetrics.NOOP, Clock.systemUTC());

    List<KeyOutcome> outcomes = archiver.archive(keys);

    assertThat(outcomes).extracting(o -> ((Skipped) o).reason())
        .containsOnly(SkipReason.RELEASED);
    assertThat(marks).containsExactlyInAnyOrder("a deleting=true at 0", "b deleting=true at 0");
    assertThat(exists).as("only the Archived one needs its row looked up")
        .containsExactly("uid-b");
  }

  /**
   * A release without a write whose PATCH met an outage is sent again alone at the next attempt,
   * and is still a release then: not counted as archived, since no row was written for it.
   */
  @Test
  void archive_releaseRetriedAfterAnOutage_isStillAReleaseNotAnArchive() {
    List<String> marks = new ArrayList<>();
    WorkflowApi deletingThenUp = getsAndMarks(key -> {
      ObjectNode wf = beingDeleted(key);
      ((ObjectNode) wf.get("metadata").get("labels")).put("team", "other");
      return Optional.of(wf);
    }, (key, marking) -> {
      marks.add(key.name());
      if (marks.size() <= keys.size()) {
        throw new WorkflowApiException("patch", key, 503, 1, null);
      }
      return MarkResult.MARKED;
    });
    BatchArchiver archiver = new BatchArchiver(deletingThenUp, unreachableStore, n -> { },
        InformerSelector.archiveCandidates("", LabelSelector.parse("team!=other")),
        ControllerMetrics.NOOP, Clock.systemUTC());

    List<KeyOutcome> first = archiver.archive(keys);
    List<KeyOutcome> second = archiver.archive(keys);

    assertThat(first).hasOnlyElementsOfType(KeyOutcome.Retry.class)
        .extracting(o -> ((KeyOutcome.Retry) o).reason())
        .containsOnly(FailureReason.KUBE_UNAVAILABLE);
    assertThat(second).hasOnlyElementsOfType(Skipped.class)
        .extracting(o -> ((Skipped) o).reason()).containsOnly(SkipReason.RELEASED);
    assertThat(marks).as("the second attempt sends the PATCH alone, reading nothing again")
        .containsExactly("a", "b", "a", "b");
  }

  /**
   * The label PATCHes come after the commit, once the read budget is given back, and are the
   * slow part of a batch under {@code --kube-qps}: the batch must hold none of the workflows it
   * read by then. A batch that kept its parsed trees through its PATCHes made every worker hold a
   * whole batch of trees outside the budget (45 MiB of trees in 8 workers on a real API server,
   * with workflows up to 128 KiB).
   */
  @Test
  void archive_whileMarking_holdsNoWorkflowItRead() {
    List<WeakReference<JsonNode>> trees = new ArrayList<>();
    List<String> heldWhileMarking = new ArrayList<>();
    WorkflowApi completed = getsAndMarks(key -> {
      ObjectNode wf = dev.archivist.controller.TestWorkflows.completed("ns", key.name());
      ((ObjectNode) wf.get("metadata")).put("uid", "uid-" + key.name());
      trees.add(new WeakReference<>(wf));
      return Optional.of(wf);
    }, (key, marking) -> {
      if (anyReachable(trees)) {
        heldWhileMarking.add(key.name());
      }
      return MarkResult.MARKED;
    });
    ArchiveStore writes = (ArchiveStore) Proxy.newProxyInstance(
        ArchiveStore.class.getClassLoader(), new Class<?>[] {ArchiveStore.class},
        (proxy, method, args) -> {
          switch (method.getName()) {
            case "archive": {
              List<BatchResult.RowOutcome> rows = new ArrayList<>();
              for (Object doc : (List<?>) args[0]) {
                rows.add(new BatchResult.Written(((WorkflowDocument) doc).uid()));
              }
              return new BatchResult(rows);
            }
            case "nodeRestorer":
              throw new UnsupportedOperationException("no offload table here");
            default:
              throw new AssertionError("store." + method.getName() + " called");
          }
        });
    BatchArchiver archiver = new BatchArchiver(completed, writes, n -> { },
        LabelSelector.everything(), ControllerMetrics.NOOP, Clock.systemUTC());

    List<KeyOutcome> outcomes = archiver.archive(keys);

    assertThat(outcomes).containsExactlyInAnyOrder(new Archived(keys.get(0), "uid-a"),
        new Archived(keys.get(1), "uid-b"));
    assertThat(trees).hasSize(2);
    assertThat(heldWhileMarking).as("workflows whose PATCH was sent while the batch still held"
        + " a parsed workflow").isEmpty();
  }

  /**
   * Whether any of {@code refs} is still strongly reachable after full collections: an object
   * only weakly reachable is cleared by the first one; a few more cover a collector that defers.
   */
  private static boolean anyReachable(List<WeakReference<JsonNode>> refs) {
    for (int i = 0; i < 5 && refs.stream().anyMatch(r -> r.get() != null); i++) {
      System.gc();
    }
    return refs.stream().anyMatch(r -> r.get() != null);
  }

  /** A Kubernetes API of GETs and label PATCHes only, as these tests need: a LIST fails. */
  private static WorkflowApi getsAndMarks(Function<WorkflowKey, Optional<JsonNode>> get,
      BiFunction<WorkflowKey, WorkflowApi.Marking, MarkResult> mark) {
    return new WorkflowApi() {
      @Override
      public Optional<JsonNode> get(WorkflowKey key) {
        return get.apply(key);
      }

      @Override
      public MarkResult markArchived(WorkflowKey key, WorkflowApi.Marking marking) {
        return mark.apply(key, marking);
      }

      @Override
      public WorkflowApi.Page list(String namespace, String selector, int limit,
          String continueToken) {
        throw new AssertionError("no LIST here");
      }
    };
  }

  /** A completed workflow with a uid, being deleted, held by our finalizer. */
  private static ObjectNode beingDeleted(WorkflowKey key) {
    ObjectNode wf = dev.archivist.controller.TestWorkflows.completed("ns", key.name());
    ((ObjectNode) wf.get("metadata")).put("uid", "uid-" + key.name())
        .put("deletionTimestamp", "2026-12-04T10:00:00Z")
        .putArray("finalizers").add(FinalizerApi.FINALIZER);
    return wf;
  }
}
