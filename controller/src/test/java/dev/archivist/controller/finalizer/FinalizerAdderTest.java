package dev.archivist.controller.finalizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.controller.kube.FinalizerApi;
import dev.archivist.controller.kube.KubeOutages;
import dev.archivist.controller.kube.WorkflowApiException;
import dev.archivist.core.WorkflowKey;
import dev.archivist.workqueue.RateLimiters;
import dev.archivist.workqueue.RateLimitingQueue;
import dev.archivist.workqueue.WorkQueues;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** One key of the add queue: what the adder sends, and what it does with the answer. */
class FinalizerAdderTest {
  private static final WorkflowKey KEY = new WorkflowKey("ns", "w");

  private final RateLimitingQueue<WorkflowKey> queue = WorkQueues.<WorkflowKey>builder()
      .rateLimiter(RateLimiters.exponentialFailure(Duration.ofHours(1), Duration.ofHours(1)))
      .buildRateLimiting();
  private final Map<WorkflowKey, GenericKubernetesResource> cache = new HashMap<>();
  /** The finalizers each call was sent with; the answer is {@link #answer}. */
  private final List<List<String>> sent = new ArrayList<>();
  private FinalizerApi.Result answer = FinalizerApi.Result.DONE;
  private int failWith;
  private final AtomicBoolean fence = new AtomicBoolean(true);

  private final FinalizerApi api = new FinalizerApi() {
    @Override
    public Result add(WorkflowKey key, String uid, String rv, List<String> finalizers) {
      sent.add(finalizers);
      if (failWith != 0) {
        throw new WorkflowApiException("PATCH", key, failWith, 0, new RuntimeException("x"));
      }
      return answer;
    }

    @Override
    public Result remove(WorkflowKey key, String uid, List<String> finalizers) {
      throw new AssertionError("the adder never removes");
    }
  };

  private final FinalizerAdder adder = new FinalizerAdder(queue, cache::get, api, 2,
      fence::get, KubeOutages.ignored());

  private void cached(List<String> finalizers, String deletionTimestamp) {
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setMetadata(new ObjectMetaBuilder().withNamespace("ns").withName("w").withUid("u")
        .withResourceVersion("7").withFinalizers(finalizers)
        .withDeletionTimestamp(deletionTimestamp).build());
    cache.put(KEY, r);
  }

  @Test
  void process_workflowWithOthersFinalizers_sendsTheListAsCached() {
    cached(List.of("example.com/keep"), null);

    adder.process(KEY);

    assertThat(sent).containsExactly(List.of("example.com/keep"));
    assertThat(queue.numRequeues(KEY)).isZero();
  }

  @Test
  void process_alreadyHeldBeingDeletedOrGone_sendsNothing() {
    cached(List.of(FinalizerApi.FINALIZER), null);
    adder.process(KEY);
    cached(List.of(), "2026-12-04T10:00:00Z");
    adder.process(KEY);
    cache.clear();
    adder.process(KEY);

    assertThat(sent).isEmpty();
  }

  @Test
  void process_withoutTheLease_sendsNothing() {
    cached(List.of(), null);
    fence.set(false);

    adder.process(KEY);

    assertThat(sent).isEmpty();
  }

  @Test
  void process_testFailed_forgetsTheKeyForItsNextEvent() {
    cached(List.of(), null);
    answer = FinalizerApi.Result.CHANGED;

    adder.process(KEY);

    assertThat(sent).hasSize(1);
    assertThat(queue.numRequeues(KEY)).isZero();
  }

  @Test
  void process_outage_retriesWithBackoffWithoutGivingUp() {
    cached(List.of(), null);
    failWith = 503;

    for (int i = 0; i < 4; i++) {
      adder.process(KEY);
    }

    assertThat(queue.numRequeues(KEY)).as("never forgotten for an outage").isEqualTo(4);
  }

  @Test
  void process_ownFailure_givesUpAfterMaxRetries() {
    cached(List.of(), null);
    failWith = 400;

    adder.process(KEY);
    assertThat(queue.numRequeues(KEY)).isEqualTo(1);
    adder.process(KEY);

    assertThat(queue.numRequeues(KEY)).as("forgotten after --max-retries").isZero();
  }
}
