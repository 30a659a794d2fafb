package dev.archivist.workqueue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RateLimitingQueueTest {
  private final FakeTicker ticker = new FakeTicker();
  private final RecordingMetrics metrics = new RecordingMetrics();
  private RateLimitingQueue<String> queue;

  @AfterEach
  void shutDown() {
    queue.shutDown();
  }

  private RateLimitingQueue<String> queue(RateLimiter<String> limiter) {
    queue = WorkQueues.<String>builder().name("rl").ticker(ticker)
        .threadFactory(new InertThreadFactory()).metrics(metrics).rateLimiter(limiter)
        .buildRateLimiting();
    return queue;
  }

  private DelayLayer<String> delaying() {
    // The rate-limiting layer wraps the delaying one; reach it to drive its loop by hand.
    return (DelayLayer<String>) ((RateLimitLayer<String>) queue).inner();
  }

  @Test
  void addRateLimited_waitsTheLimitersDelay() {
    RateLimitingQueue<String> q =
        queue(RateLimiters.exponentialFailure(Duration.ofSeconds(1), Duration.ofMinutes(1)));
    q.addRateLimited("a");
    q.addRateLimited("a"); // 2 s, but the earlier 1 s deadline is kept
    assertThat(q.numRequeues("a")).isEqualTo(2);
    delaying().pump();
    assertThat(q.len()).isZero();
    ticker.advance(Duration.ofSeconds(1));
    delaying().pump();
    assertThat(q.tryGet()).isEqualTo("a");
    assertThat(metrics.count("retried")).isEqualTo(2);
  }

  @Test
  void forget_resetsRequeuesButKeepsQueuedItem() {
    RateLimitingQueue<String> q =
        queue(RateLimiters.exponentialFailure(Duration.ZERO, Duration.ZERO));
    q.addRateLimited("a");
    assertThat(q.numRequeues("a")).isEqualTo(1);
    q.forget("a");
    assertThat(q.numRequeues("a")).isZero();
    assertThat(q.tryGet()).isEqualTo("a");
  }

  @Test
  void addRateLimited_afterShutDown_returnsFalseWithoutConsultingLimiter() {
    RateLimitingQueue<String> q =
        queue(RateLimiters.exponentialFailure(Duration.ofSeconds(1), Duration.ofMinutes(1)));
    q.shutDown();
    assertThat(q.addRateLimited("a")).isFalse();
    assertThat(q.numRequeues("a")).isZero();
  }

  @Test
  void defaultBuilder_usesDefaultControllerRateLimiter() {
    queue = WorkQueues.<String>builder().ticker(ticker).threadFactory(new InertThreadFactory())
        .buildRateLimiting();
    queue.addRateLimited("a");
    queue.addRateLimited("b");
    assertThat(queue.numRequeues("a")).isEqualTo(1);
    ticker.advance(Duration.ofMillis(5));
    delaying().pump();
    assertThat(queue.len()).isEqualTo(2);
  }
}
