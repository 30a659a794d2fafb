package dev.archivist.controller.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DatabaseGateTest {
  private final List<Long> sleeps = new ArrayList<>();

  @Test
  void awaitUp_whileUp_returnsWithoutProbing() throws Exception {
    AtomicInteger probes = new AtomicInteger();
    DatabaseGate gate = new DatabaseGate(() -> probes.incrementAndGet() > 0, sleeps::add,
        Duration.ofSeconds(1), Duration.ofSeconds(8));

    gate.awaitUp();

    assertThat(probes).hasValue(0);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void awaitUp_afterFailure_probesWithDoublingBackoffUntilTheDatabaseAnswers() throws Exception {
    AtomicInteger probes = new AtomicInteger();
    DatabaseGate gate = new DatabaseGate(() -> probes.incrementAndGet() >= 5, sleeps::add,
        Duration.ofSeconds(1), Duration.ofSeconds(4));
    gate.failed();

    gate.awaitUp();

    assertThat(probes).hasValue(5);
    assertThat(sleeps).containsExactly(1_000_000_000L, 2_000_000_000L, 4_000_000_000L,
        4_000_000_000L, 4_000_000_000L);
    assertThat(gate.isDown()).isFalse();
  }

  @Test
  void awaitUp_manyWorkers_oneProbesAtATime() throws Exception {
    AtomicInteger inProbe = new AtomicInteger();
    AtomicInteger maxInProbe = new AtomicInteger();
    AtomicInteger probes = new AtomicInteger();
    DatabaseGate gate = new DatabaseGate(() -> {
      maxInProbe.accumulateAndGet(inProbe.incrementAndGet(), Math::max);
      boolean ok = probes.incrementAndGet() >= 20;
      inProbe.decrementAndGet();
      return ok;
    }, n -> Thread.yield(), Duration.ofNanos(1), Duration.ofNanos(1));
    gate.failed();
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Thread t = new Thread(() -> {
        try {
          gate.awaitUp();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      workers.add(t);
      t.start();
    }
    for (Thread t : workers) {
      t.join(10_000);
      assertThat(t.isAlive()).isFalse();
    }

    assertThat(maxInProbe).hasValue(1);
    assertThat(probes).hasValue(20);
  }
}
