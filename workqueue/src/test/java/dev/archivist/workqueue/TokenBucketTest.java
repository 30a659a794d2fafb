package dev.archivist.workqueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private final FakeTicker ticker = new FakeTicker();
  /** Records each wait and moves the fake clock by it, like a real sleep would. */
  private final List<Long> slept = new CopyOnWriteArrayList<>();
  private final Sleeper sleeper = nanos -> {
    slept.add(nanos);
    ticker.advanceNanos(nanos);
  };

  private TokenBucket bucket(double qps, int burst) {
    return TokenBucket.create(qps, burst, ticker, sleeper);
  }

  private static Duration ms(long n) {
    return Duration.ofMillis(n);
  }

  @Test
  void reserve_burstThenOnePerInterval() {
    TokenBucket b = bucket(10, 3);
    List<Duration> waits = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      waits.add(b.reserve(1));
    }
    assertThat(waits).containsExactly(
        Duration.ZERO, Duration.ZERO, Duration.ZERO, ms(100), ms(200), ms(300));
  }

  @Test
  void reserve_refillsWithTimeUpToBurst() {
    TokenBucket b = bucket(10, 2);
    b.reserve(2);
    ticker.advance(ms(100));
    assertThat(b.reserve(1)).isEqualTo(Duration.ZERO);
    assertThat(b.reserve(1)).isEqualTo(ms(100));
    ticker.advance(Duration.ofHours(1)); // refills to burst (2), not more
    assertThat(b.reserve(1)).isEqualTo(Duration.ZERO);
    assertThat(b.reserve(1)).isEqualTo(Duration.ZERO);
    assertThat(b.reserve(1)).isEqualTo(ms(100));
  }

  @Test
  void reserve_morePermitsThanBurst_waitsOffTheDebt() {
    TokenBucket b = bucket(100, 10);
    assertThat(b.reserve(30)).isEqualTo(ms(200));
    assertThat(b.reserve(1)).isEqualTo(ms(210));
  }

  @Test
  void tryAcquire_takesOnlyAvailableTokens() {
    TokenBucket b = bucket(2, 2);
    assertThat(b.tryAcquire(1)).isTrue();
    assertThat(b.tryAcquire(2)).isFalse();
    assertThat(b.tryAcquire(1)).isTrue();
    assertThat(b.tryAcquire(1)).isFalse();
    ticker.advance(ms(500));
    assertThat(b.tryAcquire(1)).isTrue();
    assertThat(b.tryAcquire(3)).as("more than burst").isFalse();
  }

  @Test
  void acquire_sleepsExactlyTheReservedWait() throws InterruptedException {
    TokenBucket b = bucket(4, 1);
    b.acquire(1);
    b.acquire(1);
    b.acquire(2);
    assertThat(slept).containsExactly(250_000_000L, 500_000_000L);
  }

  @Test
  void acquire_interrupted_givesTokensBack() {
    FakeTicker t = new FakeTicker();
    TokenBucket b = TokenBucket.create(1, 1, t, nanos -> {
      throw new InterruptedException("test");
    });
    b.reserve(1);
    assertThatThrownBy(() -> b.acquire(1)).isInstanceOf(InterruptedException.class);
    // The interrupted caller's token is back: the next caller waits 1 s, not 2 s.
    assertThat(b.reserve(1)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void zeroQps_isUnlimited() throws InterruptedException {
    TokenBucket b = bucket(0, 0);
    for (int i = 0; i < 1_000; i++) {
      assertThat(b.reserve(1_000)).isEqualTo(Duration.ZERO);
      assertThat(b.tryAcquire(1_000)).isTrue();
      b.acquire(1_000);
    }
    assertThat(slept).isEmpty();
  }

  @Test
  void reserve_fractionalQps() {
    TokenBucket b = bucket(0.5, 1);
    b.reserve(1);
    assertThat(b.reserve(1)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void reserve_tickerReadingsOutOfOrder_neverAddTokens() {
    TokenBucket b = bucket(1, 1);
    b.reserve(1);
    ticker.advanceNanos(-5_000_000_000L);
    assertThat(b.reserve(1)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void create_invalidSettings_throwNamingValue() {
    assertThatThrownBy(() -> bucket(-3, 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("qps").hasMessageContaining("-3.0");
    assertThatThrownBy(() -> bucket(Double.NaN, 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("qps").hasMessageContaining("NaN");
    assertThatThrownBy(() -> bucket(Double.POSITIVE_INFINITY, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Infinity");
    assertThatThrownBy(() -> bucket(5, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("burst").hasMessageContaining("got 0");
    assertThatThrownBy(() -> bucket(1, 1).reserve(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("permits").hasMessageContaining("got 0");
  }

  @Test
  void systemSleeper_interruptedThread_throws() {
    Thread.currentThread().interrupt();
    assertThatThrownBy(() -> Sleeper.system().sleepNanos(Duration.ofDays(1).toNanos()))
        .isInstanceOf(InterruptedException.class);
    assertThat(Thread.interrupted()).isFalse();
  }
}
