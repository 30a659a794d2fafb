package dev.archivist.workqueue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WaitingSetTest {
  private final WaitingSet<String> set = new WaitingSet<>();
  private final List<String> ready = new ArrayList<>();

  @Test
  void drainReady_empty_returnsNothingWaiting() {
    assertThat(set.drainReady(0, ready::add)).isEqualTo(WaitingSet.NOTHING_WAITING);
    assertThat(ready).isEmpty();
  }

  @Test
  void drainReady_movesDueItemsEarliestFirstAndReturnsNextWait() {
    set.offer("c", 300);
    set.offer("a", 100);
    set.offer("b", 200);
    assertThat(set.drainReady(50, ready::add)).isEqualTo(50);
    assertThat(ready).isEmpty();
    assertThat(set.drainReady(200, ready::add)).isEqualTo(100);
    assertThat(ready).containsExactly("a", "b");
    assertThat(set.drainReady(1_000, ready::add)).isEqualTo(WaitingSet.NOTHING_WAITING);
    assertThat(ready).containsExactly("a", "b", "c");
    assertThat(set.size()).isZero();
  }

  @Test
  void offer_duplicate_keepsEarlierDeadline() {
    set.offer("a", 100);
    assertThat(set.offer("a", 500)).isFalse();
    assertThat(set.drainReady(100, ready::add)).isEqualTo(WaitingSet.NOTHING_WAITING);
    assertThat(ready).containsExactly("a");

    set.offer("b", 500);
    set.offer("b", 200);
    assertThat(set.size()).isEqualTo(1);
    assertThat(set.drainReady(200, ready::add)).isEqualTo(WaitingSet.NOTHING_WAITING);
    assertThat(ready).containsExactly("a", "b");
  }

  @Test
  void offer_reportsWhenEarliestDeadlineChanges() {
    assertThat(set.offer("a", 100)).isTrue();
    assertThat(set.offer("b", 200)).isFalse();
    assertThat(set.offer("c", 50)).isTrue();
    assertThat(set.offer("b", 10)).isTrue();
    assertThat(set.offer("a", 60)).isFalse();
  }

  @Test
  void drainReady_sameDeadline_keepsArrivalOrder() {
    for (String s : List.of("d", "b", "a", "c")) {
      set.offer(s, 100);
    }
    set.drainReady(100, ready::add);
    assertThat(ready).containsExactly("d", "b", "a", "c");
  }

  @Test
  void drainReady_tickerWrapsAround_comparesBySubtraction() {
    long near = Long.MAX_VALUE - 10;
    set.offer("late", near + 30); // wraps to negative
    set.offer("early", near + 5);
    assertThat(set.drainReady(near, ready::add)).isEqualTo(5);
    assertThat(set.drainReady(near + 20, ready::add)).isEqualTo(10);
    assertThat(ready).containsExactly("early");
  }

  @Test
  void drainReady_randomOffers_comeOutSortedByEffectiveDeadline() {
    Random random = new Random(42);
    java.util.Map<String, Long> earliest = new java.util.HashMap<>();
    for (int i = 0; i < 5_000; i++) {
      String key = "k" + random.nextInt(500);
      long deadline = random.nextInt(1_000_000);
      set.offer(key, deadline);
      earliest.merge(key, deadline, Math::min);
    }
    List<Long> seen = new ArrayList<>();
    set.drainReady(Long.MAX_VALUE / 2, item -> {
      ready.add(item);
      seen.add(earliest.get(item));
    });
    assertThat(ready).hasSize(earliest.size()).doesNotHaveDuplicates();
    assertThat(seen).isSorted();
  }
}
