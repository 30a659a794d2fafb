package dev.archivist.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.testing.MutableClock;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DemoProgressTest {

  @Test
  void line_showsArchivedRateQueueAndHeap() {
    DemoProgress.Snapshot s = new DemoProgress.Snapshot(312, 500, 500, 480, 160, 188, 2, false);

    String line = DemoProgress.line(s, 98.4, 41L << 20);

    assertThat(line).isEqualTo("archived 312/500  98/s  |  generated 500, completed 480  |"
        + "  queue 160, pending 188, failures 2  |  heap after GC 41 MiB");
  }

  @Test
  void tick_withoutAConsole_logsEveryPeriodThenOnceOnCompletion() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-05-01T12:00:00Z"));
    AtomicReference<DemoProgress.Snapshot> now = new AtomicReference<>(snapshot(0, false));
    StringWriter out = new StringWriter();
    DemoProgress progress = new DemoProgress(new PrintWriter(out, true), false, now::get,
        () -> 0, clock, Duration.ofSeconds(3));

    clock.advance(Duration.ofSeconds(1));
    progress.tick();
    clock.advance(Duration.ofSeconds(2));
    now.set(snapshot(50, false));
    progress.tick();
    clock.advance(Duration.ofSeconds(1));
    now.set(snapshot(100, true));
    progress.tick();
    clock.advance(Duration.ofSeconds(1));
    progress.tick();
    progress.awaitComplete();

    assertThat(out.toString().lines()).hasSize(2);
    assertThat(out.toString()).contains("archived 50/100", "archived 100/100");
    assertThat(progress.isComplete()).isTrue();
    assertThat(progress.elapsed()).isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void tick_onAConsole_rewritesOneLine() {
    MutableClock clock = new MutableClock(Instant.parse("2026-05-01T12:00:00Z"));
    StringWriter out = new StringWriter();
    DemoProgress progress = new DemoProgress(new PrintWriter(out, true), true,
        () -> snapshot(10, false), () -> 0, clock, Duration.ofSeconds(3));

    clock.advance(Duration.ofMillis(250));
    progress.tick();
    clock.advance(Duration.ofMillis(250));
    progress.tick();

    assertThat(out.toString()).startsWith("\rarchived 10/100").doesNotContain("\n");
  }

  private static DemoProgress.Snapshot snapshot(long archived, boolean complete) {
    return new DemoProgress.Snapshot(archived, 100, 100, 100, 0, 0, 0, complete);
  }
}
