package dev.archivist.workqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
  private final FakeTicker ticker = new FakeTicker();
  private final RecordingMetrics metrics = new RecordingMetrics();
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  private WorkQueue<String> queue() {
    return WorkQueues.<String>builder().name("test").ticker(ticker).metrics(metrics).build();
  }

  private WorkQueue<String> queue(int capacity) {
    return WorkQueues.<String>builder().name("test").ticker(ticker).metrics(metrics)
        .capacity(capacity).build();
  }

  private static List<String> drain(WorkQueue<String> q) {
    List<String> out = new ArrayList<>();
    for (String s = q.tryGet(); s != null; s = q.tryGet()) {
      out.add(s);
    }
    return out;
  }

  @Test
  void add_duplicateWhileQueued_queuedOnce() {
    WorkQueue<String> q = queue();
    assertThat(q.add("a")).isTrue();
    assertThat(q.add("a")).isTrue();
    assertThat(q.len()).isEqualTo(1);
    assertThat(drain(q)).containsExactly("a");
    assertThat(metrics.count("added")).isEqualTo(1);
  }

  @Test
  void get_handsOutItemsInFifoOrder() throws InterruptedException {
    WorkQueue<String> q = queue();
    for (String s : List.of("c", "a", "b", "a")) {
      q.add(s);
    }
    assertThat(q.get()).isEqualTo("c");
    assertThat(q.get()).isEqualTo("a");
    assertThat(q.get()).isEqualTo("b");
    assertThat(q.tryGet()).isNull();
  }

  @Test
  void add_whileProcessing_notHandedOutUntilDoneThenRequeued() throws InterruptedException {
    WorkQueue<String> q = queue();
    q.add("a");
    assertThat(q.get()).isEqualTo("a");
    assertThat(q.add("a")).isTrue();
    // A second worker must not get "a" while the first one processes it.
    assertThat(q.len()).isZero();
    assertThat(q.tryGet()).isNull();
    q.done("a");
    assertThat(q.len()).isEqualTo(1);
    assertThat(q.tryGet()).isEqualTo("a");
  }

  @Test
  void add_whileProcessingTwice_requeuedOnce() {
    WorkQueue<String> q = queue();
    q.add("a");
    q.tryGet();
    q.add("a");
    q.add("a");
    q.done("a");
    assertThat(drain(q)).containsExactly("a");
  }

  @Test
  void done_withoutReAdd_itemGone() {
    WorkQueue<String> q = queue();
    q.add("a");
    q.done(q.tryGet());
    assertThat(q.len()).isZero();
    assertThat(q.tryGet()).isNull();
    // And it can be added again afterwards.
    assertThat(q.add("a")).isTrue();
    assertThat(q.tryGet()).isEqualTo("a");
  }

  @Test
  void done_unknownItem_ignored() {
    WorkQueue<String> q = queue();
    q.add("a");
    q.done("b");
    q.done("a"); // queued, not processing: must not disturb it
    assertThat(drain(q)).containsExactly("a");
  }

  @Test
  void add_nullItem_throwsNamingArgument() {
    WorkQueue<String> q = queue();
    assertThatThrownBy(() -> q.add(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("item");
    assertThatThrownBy(() -> q.done(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("item");
  }

  @Test
  void add_atCapacity_returnsFalseAndCountsDrop() {
    WorkQueue<String> q = queue(2);
    assertThat(q.add("a")).isTrue();
    assertThat(q.add("b")).isTrue();
    assertThat(q.add("c")).isFalse();
    assertThat(metrics.count("dropped")).isEqualTo(1);
    assertThat(drain(q)).containsExactly("a", "b");
  }

  @Test
  void add_duplicateAtCapacity_acceptedWithoutDrop() {
    WorkQueue<String> q = queue(1);
    q.add("a");
    assertThat(q.add("a")).isTrue();
    assertThat(metrics.count("dropped")).isZero();
  }

  @Test
  void add_atCapacity_processingItemsDoNotCount() {
    WorkQueue<String> q = queue(1);
    q.add("a");
    q.tryGet();
    assertThat(q.add("b")).isTrue();
    // "a" re-added while processing becomes pending again, and that counts.
    assertThat(q.add("a")).isFalse();
    assertThat(metrics.count("dropped")).isEqualTo(1);
  }

  @Test
  void add_afterShutDown_returnsFalseWithoutDrop() {
    WorkQueue<String> q = queue();
    q.shutDown();
    assertThat(q.isShuttingDown()).isTrue();
    assertThat(q.add("a")).isFalse();
    assertThat(q.len()).isZero();
    assertThat(metrics.count("dropped")).isZero();
  }

  @Test
  void get_afterShutDown_returnsNullAndDiscardsQueuedItems() throws InterruptedException {
    WorkQueue<String> q = queue();
    q.add("a");
    q.add("b");
    q.shutDown();
    assertThat(q.len()).isZero();
    assertThat(q.get()).isNull();
    assertThat(q.tryGet()).isNull();
  }

  @Test
  void done_afterShutDown_doesNotRequeue() throws InterruptedException {
    WorkQueue<String> q = queue();
    q.add("a");
    q.tryGet();
    q.add("a");
    q.shutDown();
    q.done("a");
    assertThat(q.len()).isZero();
    assertThat(q.get()).isNull();
  }

  @Test
  void get_waiting_returnsItemWhenAdded() throws Exception {
    WorkQueue<String> q = queue();
    Future<String> got = threads.submit(q::get);
    // get() is blocked on an empty queue; an add must wake it.
    q.add("a");
    assertThat(got.get(10, TimeUnit.SECONDS)).isEqualTo("a");
  }

  @Test
  void get_waiting_returnsNullOnShutDown() throws Exception {
    WorkQueue<String> q = queue();
    CountDownLatch entered = new CountDownLatch(1);
    Future<String> got = threads.submit(() -> {
      entered.countDown();
      return q.get();
    });
    entered.await();
    q.shutDown();
    assertThat(got.get(10, TimeUnit.SECONDS)).isNull();
  }

  @Test
  void get_interrupted_throwsAndTakesNothing() throws Exception {
    WorkQueue<String> q = queue();
    CompletableFuture<Throwable> thrown = new CompletableFuture<>();
    Thread worker = new Thread(() -> {
      try {
        q.get();
        thrown.complete(null);
      } catch (Throwable t) {
        thrown.complete(t);
      }
    });
    worker.start();
    worker.interrupt();
    assertThat(thrown.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
    q.add("a");
    assertThat(q.tryGet()).isEqualTo("a");
  }

  @Test
  void shutDownWithDrain_waitsForInFlightItems() throws Exception {
    WorkQueue<String> q = queue();
    q.add("a");
    q.add("b");
    q.tryGet();
    q.tryGet();
    Future<?> draining = threads.submit(() -> {
      q.shutDownWithDrain();
      return null;
    });
    await().pollInterval(Duration.ofMillis(5)).until(q::isShuttingDown);
    q.done("a");
    assertThat(draining.isDone()).as("drain returned with 'b' still in flight").isFalse();
    q.done("b");
    draining.get(10, TimeUnit.SECONDS);
    assertThat(((BasicWorkQueue<String>) q).processingCount()).isZero();
  }

  @Test
  void shutDownWithDrain_nothingInFlight_returnsAtOnce() throws InterruptedException {
    WorkQueue<String> q = queue();
    q.add("a");
    assertThat(q.shutDownWithDrain(Duration.ofDays(1))).isTrue();
    q.shutDownWithDrain();
    assertThat(q.tryGet()).isNull();
  }

  @Test
  void shutDownWithDrain_timeoutWithItemInFlight_returnsFalse() throws InterruptedException {
    WorkQueue<String> q = queue();
    q.add("a");
    q.tryGet();
    assertThat(q.shutDownWithDrain(Duration.ofMillis(20))).isFalse();
    q.done("a");
    assertThat(q.shutDownWithDrain(Duration.ZERO)).isTrue();
  }

  @Test
  void metrics_durationsComeFromTicker() {
    WorkQueue<String> q = queue();
    q.add("a");
    ticker.advance(Duration.ofSeconds(3));
    q.tryGet();
    ticker.advance(Duration.ofMillis(250));
    q.done("a");
    assertThat(metrics.names).containsExactly("test");
    assertThat(metrics.queueDurations).containsExactly(3_000_000_000L);
    assertThat(metrics.workDurations).containsExactly(250_000_000L);
  }

  @Test
  void metrics_queueDurationCountsFromFirstAddWhileProcessing() {
    WorkQueue<String> q = queue();
    q.add("a");
    q.tryGet();
    ticker.advance(Duration.ofSeconds(1));
    q.add("a"); // pending from now, although queued only at done
    ticker.advance(Duration.ofSeconds(2));
    q.done("a");
    ticker.advance(Duration.ofSeconds(4));
    q.tryGet();
    assertThat(metrics.queueDurations).containsExactly(0L, 6_000_000_000L);
  }

  @Test
  void gauges_depthUnfinishedAndLongestRunning() {
    WorkQueue<String> q = queue();
    QueueGauges g = metrics.gauges;
    q.add("a");
    q.add("b");
    q.add("c");
    assertThat(g.depth()).isEqualTo(3);
    q.tryGet();
    ticker.advance(Duration.ofSeconds(2));
    q.tryGet();
    ticker.advance(Duration.ofSeconds(1));
    assertThat(g.depth()).isEqualTo(1);
    assertThat(g.unfinishedWorkSeconds()).isEqualTo(4.0); // 3 s + 1 s
    assertThat(g.longestRunningProcessorSeconds()).isEqualTo(3.0);
    q.done("a");
    q.done("b");
    assertThat(g.unfinishedWorkSeconds()).isZero();
    assertThat(g.longestRunningProcessorSeconds()).isZero();
  }

  @Test
  void metrics_neverCalledUnderQueueLock() {
    WorkQueue<String> q = queue(1);
    q.add("a");
    q.add("b"); // dropped
    q.tryGet();
    q.add("a");
    q.done("a");
    q.tryGet();
    q.done("a");
    assertThat(metrics.events).contains("added", "dropped", "queueDuration", "workDuration");
    assertThat(metrics.calledUnderLock).isFalse();
  }

  @Test
  void build_unnamedQueue_reportsNoMetrics() {
    WorkQueue<String> q = WorkQueues.<String>builder().ticker(ticker).metrics(metrics).build();
    q.add("a");
    assertThat(metrics.names).isEmpty();
    assertThat(metrics.events).isEmpty();
  }

  @Test
  void capacity_negative_throwsNamingValue() {
    assertThatThrownBy(() -> WorkQueues.<String>builder().capacity(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("capacity").hasMessageContaining("-1");
  }

  @Test
  void capacity_zero_meansUnbounded() {
    WorkQueue<Integer> q = WorkQueues.<Integer>builder().capacity(0).build();
    for (int i = 0; i < 10_000; i++) {
      assertThat(q.add(i)).isTrue();
    }
    assertThat(q.len()).isEqualTo(10_000);
  }
}
