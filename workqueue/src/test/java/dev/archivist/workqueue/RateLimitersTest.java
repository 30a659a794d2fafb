package dev.archivist.workqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimitersTest {
  private final FakeTicker ticker = new FakeTicker();

  @Test
  void tokenBucket_reservesWithoutBlockingAndKeepsNoItemState() {
    RateLimiter<String> limiter = RateLimiters.tokenBucket(10, 2, ticker);
    assertThat(limiter.when("a")).isEqualTo(Duration.ZERO);
    assertThat(limiter.when("b")).isEqualTo(Duration.ZERO);
    assertThat(limiter.when("a")).isEqualTo(Duration.ofMillis(100));
    assertThat(limiter.numRequeues("a")).isZero();
  }

  @Test
  void tokenBucket_invalidSettings_throw() {
    assertThatThrownBy(() -> RateLimiters.tokenBucket(-1, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("qps");
    assertThatThrownBy(() -> RateLimiters.tokenBucket(1, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("burst");
  }

  @Test
  void maxOf_takesLongestAndRecordsInAll() {
    RateLimiter<String> perItem =
        RateLimiters.exponentialFailure(Duration.ofMillis(1), Duration.ofSeconds(1));
    RateLimiter<String> bucket = RateLimiters.tokenBucket(1, 1, ticker);
    RateLimiter<String> both = RateLimiters.maxOf(perItem, bucket);
    assertThat(both.when("a")).isEqualTo(Duration.ofMillis(1));
    assertThat(both.when("a")).isEqualTo(Duration.ofSeconds(1)); // bucket's 1 s beats 2 ms
    assertThat(both.numRequeues("a")).isEqualTo(2);
    both.forget("a");
    assertThat(perItem.numRequeues("a")).isZero();
  }

  @Test
  void maxOf_noLimiters_throws() {
    assertThatThrownBy(RateLimiters::<String>maxOf).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one");
  }

  @Test
  void defaultControllerRateLimiter_perItemFrom5msAndBucketAfter100() {
    RateLimiter<String> limiter = RateLimiters.defaultControllerRateLimiter(ticker);
    assertThat(limiter.when("a")).isEqualTo(Duration.ofMillis(5));
    assertThat(limiter.when("a")).isEqualTo(Duration.ofMillis(10));
    // 98 more distinct items use up the burst of 100 ...
    for (int i = 0; i < 98; i++) {
      assertThat(limiter.when("k" + i)).isEqualTo(Duration.ofMillis(5));
    }
    // ... then the 10 qps bucket dominates a fresh item's 5 ms.
    assertThat(limiter.when("fresh")).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void defaultControllerRateLimiter_capsAt1000Seconds() {
    RateLimiter<String> limiter = RateLimiters.defaultControllerRateLimiter(ticker);
    Duration last = Duration.ZERO;
    for (int i = 0; i < 100; i++) {
      last = limiter.when("a");
      ticker.advance(Duration.ofSeconds(1)); // keep the bucket full
    }
    assertThat(last).isEqualTo(Duration.ofSeconds(1000));
  }
}
