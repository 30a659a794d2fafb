package dev.archivist.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LifecycleTest {

  @Test
  void close_closesInReverseStartOrderOnce() {
    List<String> closed = new ArrayList<>();
    Lifecycle lifecycle = new Lifecycle();
    lifecycle.add("database", () -> closed.add("database"));
    lifecycle.add("store", () -> closed.add("store"));
    lifecycle.add("server", () -> closed.add("server"));

    lifecycle.close();
    lifecycle.close();

    assertThat(closed).containsExactly("server", "store", "database");
    assertThat(lifecycle.isClosed()).isTrue();
  }

  @Test
  void close_continuesPastAPartThatFails() {
    List<String> closed = new ArrayList<>();
    Lifecycle lifecycle = new Lifecycle();
    lifecycle.add("database", () -> closed.add("database"));
    lifecycle.add("broken", () -> {
      throw new IllegalStateException("boom");
    });

    lifecycle.close();

    assertThat(closed).containsExactly("database");
  }

  @Test
  void add_afterClose_closesThePartAtOnce() {
    List<String> closed = new ArrayList<>();
    Lifecycle lifecycle = new Lifecycle();
    lifecycle.close();

    lifecycle.add("late", () -> closed.add("late"));

    assertThat(closed).containsExactly("late");
  }

  @Test
  void awaitClosed_returnsOnceClosed() throws InterruptedException {
    Lifecycle lifecycle = new Lifecycle();
    lifecycle.close();

    lifecycle.awaitClosed();

    assertThat(lifecycle.isClosed()).isTrue();
  }
}
