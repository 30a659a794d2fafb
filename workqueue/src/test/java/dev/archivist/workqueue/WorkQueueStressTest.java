package dev.archivist.workqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Many producers and workers on one queue, checking the queue's promises as properties rather than
 * timings: mutual exclusion per key, no lost re-adds, nothing handed out after shutdown, and a
 * drain that waits for in-flight work.
 */
class WorkQueueStressTest {
  private static final int PRODUCERS = 16;
  private static final int WORKERS = 8;
  private static final int KEYS = 10_000;
  private static final int ADDS = 1_000_000;

  private final ExecutorService pool = Executors.newFixedThreadPool(PRODUCERS + WORKERS);
  private final WorkQueue<Integer> queue = WorkQueues.<Integer>builder().build();

  /** Bumped by a producer just before each add of a key. */
  private final AtomicLongArray version = new AtomicLongArray(KEYS);
  /** The highest version a worker saw after taking the key. */
  private final AtomicLongArray seen = new AtomicLongArray(KEYS);
  /** Workers currently processing each key. */
  private final AtomicIntegerArray inProcess = new AtomicIntegerArray(KEYS);
  private final AtomicLong overlaps = new AtomicLong();
  private final AtomicLong processed = new AtomicLong();

  private volatile boolean shutDownReturned;
  private final AtomicLong handedOutAfterShutDown = new AtomicLong();
  private final AtomicLong acceptedAfterShutDown = new AtomicLong();

  @AfterEach
  void stop() {
    queue.shutDown();
    pool.shutdownNow();
  }

  private void produce(int adds) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < adds; i++) {
      int key = random.nextInt(KEYS);
      boolean after = shutDownReturned;
      version.incrementAndGet(key);
      if (queue.add(key) && after) {
        acceptedAfterShutDown.incrementAndGet();
      }
    }
  }

  private void work() throws InterruptedException {
    List<Integer> batch = new ArrayList<>();
    while (true) {
      boolean after = shutDownReturned;
      Integer first = queue.get();
      if (first == null) {
        return;
      }
      batch.add(first);
      while (batch.size() < 4) {
        Integer more = queue.tryGet();
        if (more == null) {
          break;
        }
        batch.add(more);
      }
      if (after) {
        handedOutAfterShutDown.addAndGet(batch.size());
      }
      for (int key : batch) {
        if (inProcess.incrementAndGet(key) != 1) {
          overlaps.incrementAndGet();
        }
        long v = version.get(key);
        seen.accumulateAndGet(key, v, Math::max);
      }
      // A little work, so items are in flight while others are added and drains wait.
      long spin = ThreadLocalRandom.current().nextInt(200);
      for (long i = 0; i < spin; i++) {
        Thread.onSpinWait();
      }
      for (int key : batch) {
        inProcess.decrementAndGet(key);
        processed.incrementAndGet();
        queue.done(key);
      }
      batch.clear();
    }
  }

  private boolean everyAddSeen() {
    for (int k = 0; k < KEYS; k++) {
      if (seen.get(k) != version.get(k)) {
        return false;
      }
    }
    return true;
  }

  @Test
  void stress_producersAndWorkers_keepQueuePromises() throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> workers = new ArrayList<>();
    for (int i = 0; i < WORKERS; i++) {
      workers.add(pool.submit(() -> {
        start.await();
        work();
        return null;
      }));
    }
    List<Future<?>> producers = new ArrayList<>();
    for (int i = 0; i < PRODUCERS; i++) {
      producers.add(pool.submit(() -> {
        start.await();
        produce(ADDS / PRODUCERS);
        return null;
      }));
    }
    start.countDown();
    for (Future<?> p : producers) {
      p.get(60, TimeUnit.SECONDS);
    }

    // Every key added after its last get was processed again: each key's last add is seen.
    await().pollInterval(Duration.ofMillis(10)).atMost(Duration.ofSeconds(60))
        .until(this::everyAddSeen);
    assertThat(overlaps).as("a key processed by two workers at once").hasValue(0);
    assertThat(processed.get()).isPositive().isLessThanOrEqualTo(ADDS);

    // Second round: shut down with drain while producers are still adding.
    List<Future<?>> more = new ArrayList<>();
    for (int i = 0; i < PRODUCERS; i++) {
      more.add(pool.submit(() -> produce(ADDS / PRODUCERS / 4)));
    }
    await().pollInterval(Duration.ofMillis(1)).atMost(Duration.ofSeconds(60))
        .until(() -> processed.get() > 0 && queue.len() > 0
            || more.stream().allMatch(Future::isDone));
    queue.shutDownWithDrain();
    int inFlight = 0;
    for (int k = 0; k < KEYS; k++) {
      inFlight += inProcess.get(k);
    }
    shutDownReturned = true;
    assertThat(inFlight).as("items still being processed when the drain returned").isZero();

    for (Future<?> p : more) {
      p.get(60, TimeUnit.SECONDS);
    }
    for (Future<?> w : workers) {
      w.get(60, TimeUnit.SECONDS); // every worker saw get() == null and exited
    }
    assertThat(handedOutAfterShutDown).hasValue(0);
    assertThat(acceptedAfterShutDown).hasValue(0);
    assertThat(overlaps).hasValue(0);
    assertThat(queue.add(1)).isFalse();
    assertThat(queue.get()).isNull();
    assertThat(queue.tryGet()).isNull();
  }
}
