package dev.archivist.workqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExponentialFailureRateLimiterTest {
  private final RateLimiter<String> limiter =
      RateLimiters.exponentialFailure(Duration.ofMillis(1), Duration.ofMillis(100));

  private static Duration ms(long n) {
    return Duration.ofMillis(n);
  }

  @Test
  void when_doublesPerFailureUpToCap() {
    List<Duration> delays = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      delays.add(limiter.when("a"));
    }
    assertThat(delays).containsExactly(
        ms(1), ms(2), ms(4), ms(8), ms(16), ms(32), ms(64), ms(100), ms(100), ms(100));
    assertThat(limiter.numRequeues("a")).isEqualTo(10);
  }

  @Test
  void when_itemsBackOffIndependently() {
    limiter.when("a");
    limiter.when("a");
    assertThat(limiter.when("b")).isEqualTo(ms(1));
    assertThat(limiter.when("a")).isEqualTo(ms(4));
    assertThat(limiter.numRequeues("b")).isEqualTo(1);
  }

  @Test
  void forget_resetsToBase() {
    limiter.when("a");
    limiter.when("a");
    limiter.forget("a");
    assertThat(limiter.numRequeues("a")).isZero();
    assertThat(limiter.when("a")).isEqualTo(ms(1));
  }

  @Test
  void when_manyFailures_staysAtCap() {
    for (int i = 0; i < 10_000; i++) {
      limiter.when("a");
    }
    assertThat(limiter.when("a")).isEqualTo(ms(100));
    assertThat(limiter.numRequeues("a")).isEqualTo(10_001);
  }

  @ParameterizedTest(name = "base {0} ns, max {1} ns, failures {2} -> {3} ns")
  @CsvSource({
      "1, 1000, 0, 1",
      "1, 1000, 9, 512",
      "1, 1000, 10, 1000",
      "5000000, 1000000000000, 17, 655360000000",
      "5000000, 1000000000000, 18, 1000000000000",
      "5000000, 1000000000000, 62, 1000000000000",
      "5000000, 1000000000000, 63, 1000000000000",
      "5000000, 1000000000000, 64, 1000000000000",
      "5000000, 1000000000000, 2147483647, 1000000000000",
      "1, 9223372036854775807, 62, 4611686018427387904",
      "1, 9223372036854775807, 63, 9223372036854775807",
      "3, 9223372036854775807, 62, 9223372036854775807",
      "0, 1000, 2147483647, 0",
      "7, 7, 0, 7",
      "7, 7, 1, 7",
  })
  void backoffNanos_table(long base, long max, int failures, long expected) {
    assertThat(ExponentialFailureRateLimiter.backoffNanos(base, max, failures))
        .isEqualTo(expected);
  }

  @Test
  void construct_invalidSettings_throwNamingValue() {
    assertThatThrownBy(() -> RateLimiters.exponentialFailure(ms(10), ms(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("base").hasMessageContaining("PT0.01S")
        .hasMessageContaining("PT0.001S");
    assertThatThrownBy(() -> RateLimiters.exponentialFailure(ms(-1), ms(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-0.001");
    assertThatThrownBy(() -> RateLimiters.exponentialFailure(ms(0), ms(-2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max")
        .hasMessageContaining("-0.002");
  }

  @Test
  void construct_hugeMax_saturates() {
    RateLimiter<String> huge =
        RateLimiters.exponentialFailure(ms(1), Duration.ofDays(365L * 10_000));
    for (int i = 0; i < 100; i++) {
      huge.when("a");
    }
    assertThat(huge.when("a")).isEqualTo(Duration.ofNanos(Long.MAX_VALUE));
  }
}
