package dev.archivist.controller.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.controller.archive.KeyOutcome.Abandoned;
import dev.archivist.controller.archive.KeyOutcome.SkipReason;
import dev.archivist.controller.archive.KeyOutcome.Skipped;
import dev.archivist.controller.kube.WorkflowApi;
import dev.archivist.controller.metrics.ControllerMetrics;
import dev.archivist.core.LabelSelector;
import dev.archivist.core.WorkflowKey;
import dev.archivist.store.ArchiveStore;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The order of a batch's steps. A worker waiting for archive tokens must hold keys, not
 * workflows: otherwise a throttled archive keeps workers x batch-size whole objects on the heap.
 */
class BatchArchiverTest {
  private final List<String> events = new ArrayList<>();

  private final WorkflowApi goneEverywhere = new WorkflowApi() {
    @Override
    public Optional<JsonNode> get(WorkflowKey key) {
      events.add("get " + key);
      return Optional.empty();
    }

    @Override
    public MarkResult markArchived(WorkflowKey key, WorkflowApi.Marking marking) {
      throw new AssertionError("nothing to mark");
    }

    @Override
    public WorkflowApi.Page list(String namespace, String selector, int limit,
        String continueToken) {
      throw new AssertionError("no LIST here");
    }
  };

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
}
