package dev.archivist.workqueue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkerLoopTest {
  private final RateLimitingQueue<String> queue = WorkQueues.<String>builder()
      .ticker(new FakeTicker()).threadFactory(new InertThreadFactory())
      .rateLimiter(RateLimiters.exponentialFailure(Duration.ofSeconds(1), Duration.ofMinutes(1)))
      .buildRateLimiting();
  private final List<String> processed = new ArrayList<>();
  private final List<String> failed = new ArrayList<>();

  @AfterEach
  void shutDown() {
    queue.shutDown();
  }

  @Test
  void run_processesEachItem_retriesAFailureWithBackoff_andReturnsOnShutDown()
      throws InterruptedException {
    queue.add("a");
    queue.add("boom");
    queue.add("last");

    WorkerLoop.run(queue, item -> {
      processed.add(item);
      if (item.equals("boom")) {
        throw new IllegalStateException("boom");
      }
      if (item.equals("last")) {
        queue.shutDown();
      }
    }, (item, e) -> failed.add(item + ": " + e.getMessage()));

    assertThat(processed).containsExactly("a", "boom", "last");
    assertThat(failed).containsExactly("boom: boom");
    assertThat(queue.numRequeues("boom")).isEqualTo(1);
    assertThat(queue.shutDownWithDrain(Duration.ZERO)).as("every item taken was done").isTrue();
  }

  @Test
  void run_interruptedWhileWaiting_returnsAndKeepsTheFlag() {
    Thread.currentThread().interrupt();

    WorkerLoop.run(queue, processed::add, (item, e) -> failed.add(item));

    assertThat(Thread.interrupted()).isTrue();
    assertThat(processed).isEmpty();
    assertThat(failed).isEmpty();
  }
}
