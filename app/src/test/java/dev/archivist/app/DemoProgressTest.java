package dev.archivist.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DemoProgressTest {

  @Test
  void line_showsArchivedRateQueueAndHeap() {
    DemoProgress.Snapshot s = new DemoProgress.Snapshot(312, 500, 500, 480, 160, 188, 2, false);

    String line = DemoProgress.line(s, 98.4, 41L << 20);

    assertThat(line).isEqualTo("archived 312/500  98/s  |  generated 500, completed 480  |"
        + "  queue 160, pending 188, failures 2  |  heap 41 MiB");
  }
}
