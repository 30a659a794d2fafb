package dev.archivist.controller.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.archivist.workqueue.Sleeper;
import dev.archivist.workqueue.TokenBucket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StoppableTokensTest {

  @Test
  void take_withinBurst_returnsAtOnce() throws Exception {
    StoppableTokens tokens = new StoppableTokens(TokenBucket.create(1, 5, () -> 0L,
        nanos -> {
          throw new AssertionError("must not wait");
        }));
    tokens.take(5);
  }

  @Test
  void take_afterStop_throwsWithoutTakingTokens() {
    StoppableTokens tokens = new StoppableTokens(TokenBucket.create(1, 5));
    tokens.stop();
    assertThatThrownBy(() -> tokens.take(1)).isInstanceOf(InterruptedException.class)
        .hasMessageContaining("stopping");
  }

  @Test
  void stop_releasesAThreadWaitingForTokens() throws Exception {
    CountDownLatch waiting = new CountDownLatch(1);
    Sleeper blocking = nanos -> {
      waiting.countDown();
      Sleeper.system().sleepNanos(Duration.ofHours(1).toNanos());
    };
    StoppableTokens tokens = new StoppableTokens(TokenBucket.create(0.001, 1, () -> 0L,
        blocking));
    tokens.take(1);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread worker = new Thread(() -> {
      try {
        tokens.take(1);
      } catch (Throwable t) {
        thrown.set(t);
      }
    });
    worker.start();
    waiting.await();

    tokens.stop();
    worker.join();

    assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
  }

  @Test
  void stop_doesNotInterruptAThreadThatLeftTake() throws Exception {
    StoppableTokens tokens = new StoppableTokens(TokenBucket.create(0, 1));
    tokens.take(3);
    tokens.stop();
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }
}
