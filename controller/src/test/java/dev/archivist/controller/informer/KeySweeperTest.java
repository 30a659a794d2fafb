package dev.archivist.controller.informer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.core.WorkflowKey;
import dev.archivist.workqueue.MetricsProvider;
import dev.archivist.workqueue.WorkQueue;
import dev.archivist.workqueue.WorkQueues;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeySweeperTest {
  private static final WorkflowKey A1 = new WorkflowKey("a", "1");
  private static final WorkflowKey A2 = new WorkflowKey("a", "2");
  private static final WorkflowKey B3 = new WorkflowKey("b", "3");

  private final DropSignal drops = new DropSignal();
  /** What the informers hold: a workflow leaves once it is archived. */
  private final List<WorkflowKey> informerKeys = new ArrayList<>(List.of(A1, A2, B3));

  private WorkQueue<WorkflowKey> queue(int capacity) {
    return WorkQueues.<WorkflowKey>builder().name("archive").capacity(capacity)
        .metrics(drops.wrap(MetricsProvider.noop())).build();
  }

  /** A sweeper of {@link #informerKeys} into {@code queue}, on this test's drop signal. */
  private KeySweeper sweeperOf(WorkQueue<WorkflowKey> queue) {
    return new KeySweeper(informerKeys::forEach, queue, drops);
  }

  @Test
  void sweep_withoutDrops_addsNothing() {
    WorkQueue<WorkflowKey> queue = queue(10);
    KeySweeper sweeper = sweeperOf(queue);
    assertThat(sweeper.sweep()).isZero();
    assertThat(queue.len()).isZero();
  }

  @Test
  void sweep_afterADrop_bringsTheDroppedKeyBack() throws Exception {
    WorkQueue<WorkflowKey> queue = queue(2);
    KeySweeper sweeper = sweeperOf(queue);
    informerKeys.forEach(queue::add); // capacity 2: B3 is dropped
    assertThat(queue.len()).isEqualTo(2);
    for (int i = 0; i < 2; i++) {
      WorkflowKey archived = queue.get();
      informerKeys.remove(archived);
      queue.done(archived);
    }

    assertThat(sweeper.sweep()).isEqualTo(1);

    assertThat(queue.get()).isEqualTo(B3);
  }

  @Test
  void sweep_thatHitsCapacityItself_runsAgainNextPeriod() {
    WorkQueue<WorkflowKey> queue = queue(2);
    KeySweeper sweeper = sweeperOf(queue);
    drops.markDropped();

    assertThat(sweeper.sweep()).isEqualTo(3);
    assertThat(queue.len()).isEqualTo(2);
    assertThat(sweeper.sweep()).as("B3 was dropped again, so the signal is set again")
        .isEqualTo(3);
  }

  @Test
  void sweep_clearsTheSignal_soTheNextRunIsFree() {
    WorkQueue<WorkflowKey> queue = queue(10);
    KeySweeper sweeper = sweeperOf(queue);
    drops.markDropped();

    assertThat(sweeper.sweep()).isEqualTo(3);
    assertThat(sweeper.sweep()).isZero();
    assertThat(queue.len()).isEqualTo(3);
  }

  @Test
  void run_neverThrows_soTheScheduleSurvives() {
    KeySweeper failing = new KeySweeper(k -> {
      throw new IllegalStateException("informer store gone");
    }, queue(10), drops);
    drops.markDropped();
    failing.run();
  }
}
