package dev.archivist.controller.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ReadBudgetTest {
  @Test
  void reserve_largerThanTheCapacity_isGrantedWhenNothingElseIsHeld() throws Exception {
    ReadBudget budget = new ReadBudget(100);

    ReadBudget.Reservation r = budget.reserve(500);

    assertThat(r.held()).isEqualTo(500);
    assertThat(budget.used()).isEqualTo(500);
  }

  @Test
  void reserve_thatDoesNotFit_waitsUntilAnotherIsReleased() throws Exception {
    ReadBudget budget = new ReadBudget(100);
    ReadBudget.Reservation first = budget.reserve(80);
    AtomicReference<Thread> waiter = new AtomicReference<>();
    CompletableFuture<ReadBudget.Reservation> second = CompletableFuture.supplyAsync(() -> {
      waiter.set(Thread.currentThread());
      try {
        return budget.reserve(50);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> waiter.get() != null
        && waiter.get().getState() == Thread.State.WAITING);
    assertThat(second).isNotDone();

    first.release();

    assertThat(second.get().held()).isEqualTo(50);
    assertThat(budget.used()).isEqualTo(50);
  }

  @Test
  void resize_correctsTheEstimate_andReleaseIsFinal() throws Exception {
    ReadBudget budget = new ReadBudget(100);
    ReadBudget.Reservation r = budget.reserve(40);

    r.resize(130); // more than estimated: held, never waited for
    assertThat(budget.used()).isEqualTo(130);
    r.release();
    r.release();
    r.resize(70);

    assertThat(budget.used()).isZero();
    assertThat(r.held()).isZero();
  }

  @Test
  void pageLimit_followsTheAverageSize_withinOneAndThePageSize() {
    ReadBudget budget = new ReadBudget(64 * 1024 * 100);
    assertThat(budget.average()).isEqualTo(ReadBudget.INITIAL_AVERAGE);
    assertThat(budget.pageLimit(500, 1)).isEqualTo(50);
    assertThat(budget.pageLimit(500, 2)).isEqualTo(25);
    assertThat(budget.pageLimit(20, 1)).isEqualTo(20);

    for (int i = 0; i < 40; i++) {
      budget.observe(10L * 1024 * 1024, 1); // 10 MiB workflows
    }

    assertThat(budget.pageLimit(500, 1)).isEqualTo(1);
  }

  @Test
  void forHeap_isASixtyFourthOfTheHeap_andRefusesNothing() {
    assertThat(ReadBudget.forHeap(256L * 1024 * 1024).capacity()).isEqualTo(4L * 1024 * 1024);
    assertThat(ReadBudget.forHeap(1).capacity()).isEqualTo(1024 * 1024);
    assertThatThrownBy(() -> new ReadBudget(0)).hasMessageContaining("at least 1 byte, got 0");
  }
}
