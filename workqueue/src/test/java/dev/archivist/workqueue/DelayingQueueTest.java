package dev.archivist.workqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DelayingQueueTest {
  private final FakeTicker ticker = new FakeTicker();
  private final RecordingMetrics metrics = new RecordingMetrics();
  private final InertThreadFactory threads = new InertThreadFactory();
  private DelayingQueue<String> queue;

  @AfterEach
  void shutDown() {
    if (queue != null) {
      queue.shutDown();
    }
  }

  private DelayLayer<String> queue(int capacity) {
    queue = WorkQueues.<String>builder().name("delay").ticker(ticker).threadFactory(threads)
        .metrics(metrics).capacity(capacity).buildDelaying();
    DelayLayer<String> q = (DelayLayer<String>) queue;
    metrics.locks.add(q::lockHeldByCurrentThread);
    return q;
  }

  private DelayLayer<String> queue() {
    return queue(0);
  }

  @Test
  void build_makesOneThreadFromFactory() {
    queue();
    assertThat(threads.made).hasValue(1);
  }

  @Test
  void addAfter_itemReadyOnlyOnceDeadlinePassed() {
    DelayLayer<String> q = queue();
    assertThat(q.addAfter("a", Duration.ofSeconds(10))).isTrue();
    assertThat(q.pump()).isEqualTo(Duration.ofSeconds(10).toNanos());
    assertThat(q.len()).isZero();
    ticker.advance(Duration.ofSeconds(9));
    assertThat(q.pump()).isEqualTo(Duration.ofSeconds(1).toNanos());
    assertThat(q.len()).isZero();
    ticker.advance(Duration.ofSeconds(1));
    assertThat(q.pump()).isEqualTo(WaitingSet.NOTHING_WAITING);
    assertThat(q.tryGet()).isEqualTo("a");
    assertThat(metrics.count("retried")).isEqualTo(1);
  }

  @Test
  void addAfter_zeroOrNegativeDelay_queuedNow() {
    DelayLayer<String> q = queue();
    q.addAfter("a", Duration.ZERO);
    q.addAfter("b", Duration.ofSeconds(-5));
    assertThat(q.waitingCount()).isZero();
    assertThat(q.tryGet()).isEqualTo("a");
    assertThat(q.tryGet()).isEqualTo("b");
  }

  @Test
  void addAfter_duplicate_keepsEarlierDeadline() {
    DelayLayer<String> q = queue();
    q.addAfter("a", Duration.ofSeconds(5));
    q.addAfter("a", Duration.ofSeconds(50));
    q.addAfter("b", Duration.ofSeconds(50));
    q.addAfter("b", Duration.ofSeconds(2));
    assertThat(q.waitingCount()).isEqualTo(2);
    ticker.advance(Duration.ofSeconds(5));
    q.pump();
    assertThat(q.tryGet()).isEqualTo("b");
    assertThat(q.tryGet()).isEqualTo("a");
    assertThat(q.waitingCount()).isZero();
  }

  @Test
  void addAfter_readyItemAlreadyQueued_deduplicated() {
    DelayLayer<String> q = queue();
    q.add("a");
    q.addAfter("a", Duration.ofSeconds(1));
    ticker.advance(Duration.ofSeconds(1));
    q.pump();
    assertThat(q.len()).isEqualTo(1);
  }

  @Test
  void addAfter_atCapacity_waitingAndReadyItemsNeverDropped() {
    DelayLayer<String> q = queue(1);
    q.add("x");
    for (int i = 0; i < 100; i++) {
      assertThat(q.addAfter("r" + i, Duration.ofMillis(i + 1))).isTrue();
    }
    assertThat(q.add("y")).isFalse();
    ticker.advance(Duration.ofSeconds(1));
    q.pump();
    assertThat(q.len()).isEqualTo(101);
    assertThat(metrics.count("dropped")).isEqualTo(1); // only "y"
  }

  @Test
  void shutDown_discardsWaitingItemsAndRefusesNewOnes() {
    DelayLayer<String> q = queue();
    q.addAfter("a", Duration.ofSeconds(1));
    q.shutDown();
    assertThat(q.waitingCount()).isZero();
    assertThat(q.addAfter("b", Duration.ofSeconds(1))).isFalse();
    assertThat(q.addAfter("c", Duration.ZERO)).isFalse();
    ticker.advance(Duration.ofSeconds(2));
    assertThat(q.pump()).isEqualTo(WaitingSet.NOTHING_WAITING);
    assertThat(q.tryGet()).isNull();
  }

  @Test
  void addAfter_hugeDelay_doesNotOverflow() {
    DelayLayer<String> q = queue();
    q.addAfter("a", Duration.ofDays(365L * 1_000_000));
    q.addAfter("b", Duration.ofSeconds(1));
    ticker.advance(Duration.ofSeconds(1));
    q.pump();
    assertThat(q.tryGet()).isEqualTo("b");
    assertThat(q.tryGet()).isNull();
    assertThat(q.waitingCount()).isEqualTo(1);
  }

  @Test
  void addAfter_nullArguments_throwNamingThem() {
    DelayLayer<String> q = queue();
    assertThatThrownBy(() -> q.addAfter(null, Duration.ZERO)).hasMessage("item");
    assertThatThrownBy(() -> q.addAfter("a", null)).hasMessage("delay");
  }

  @Test
  void metrics_neverCalledUnderEitherLock() {
    DelayLayer<String> q = queue();
    q.addAfter("a", Duration.ofSeconds(1));
    q.addAfter("b", Duration.ZERO);
    ticker.advance(Duration.ofSeconds(1));
    q.pump();
    q.done(q.tryGet());
    assertThat(metrics.events).contains("retried", "added", "queueDuration", "workDuration");
    assertThat(metrics.calledUnderLock).isFalse();
  }

  @Test
  void pump_metricsSinkThrows_everyReadyItemStillQueued() {
    QueueMetrics throwing = new QueueMetrics() {
      @Override
      public void added() {
        throw new IllegalStateException("sink broken");
      }
    };
    DelayLayer<String> q = (DelayLayer<String>) (queue = WorkQueues.<String>builder()
        .name("broken").ticker(ticker).threadFactory(threads).metrics(name -> throwing)
        .buildDelaying());
    q.addAfter("a", Duration.ofSeconds(1));
    q.addAfter("b", Duration.ofSeconds(1));
    ticker.advance(Duration.ofSeconds(1));
    assertThatThrownBy(q::pump).hasMessage("sink broken");
    assertThat(q.len()).isEqualTo(2);
    assertThat(q.pump()).isEqualTo(WaitingSet.NOTHING_WAITING);
  }

  @Test
  void waitingThread_realClock_movesItemWhenDue() {
    AtomicReference<Thread> made = new AtomicReference<>();
    queue = WorkQueues.<String>builder().name("real").threadFactory(r -> {
      Thread t = new Thread(r, "delay-test");
      t.setDaemon(true);
      made.set(t);
      return t;
    }).buildDelaying();
    queue.addAfter("later", Duration.ofMillis(200));
    queue.addAfter("sooner", Duration.ofMillis(1)); // earlier deadline must wake the loop
    await().pollInterval(Duration.ofMillis(2)).atMost(Duration.ofSeconds(10))
        .until(() -> queue.len() == 2);
    assertThat(queue.tryGet()).isEqualTo("sooner");
    assertThat(queue.tryGet()).isEqualTo("later");
    queue.shutDown();
    await().atMost(Duration.ofSeconds(10)).until(() -> !made.get().isAlive());
  }
}
