package dev.archivist.bench.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class MemoryReportTest {
  private static final int S = 65536;

  private static ModeResult drained() {
    List<Sample> samples = List.of(new Sample(1.0, 40_000_000, 0, 0, 0, -1),
        new Sample(2.5, 40_100_000, 100, 20, 120, -1));
    return new ModeResult(Mode.ARCHIVIST, "drained", "archived all 120", samples,
        LeastSquares.fit(samples, Sample::backlog, Sample::heapAfterGc),
        LeastSquares.fit(samples, Sample::backlog, Sample::heapAfterGc),
        LeastSquares.fit(List.<Sample>of(), Sample::pendingEvents, Sample::heapAfterGc),
        40_100_000, Double.NaN,
        -1, 120, 120, 120, 3.0, 9.0, 100);
  }

  private static ModeResult oom() {
    List<Sample> samples = List.of(new Sample(1.0, 50_000_000, 10, 0, 10, 12),
        new Sample(2.0, 250_000_000, 1000, 20, 1020, 1012));
    return new ModeResult(Mode.NAIVE, "oom", "Terminating due to java.lang.OutOfMemoryError",
        samples, LeastSquares.fit(samples, Sample::backlog, Sample::heapAfterGc),
        LeastSquares.fit(List.<Sample>of(), Sample::backlog, Sample::heapAfterGc),
        LeastSquares.fit(samples, Sample::pendingEvents, Sample::heapAfterGc), 250_000_000,
        2.4, 1000, 20, 20, 5000, Double.NaN, Double.NaN, 1000);
  }

  @Test
  void csv_writesOneRowPerSampleWithTheHeader() {
    String csv = MemoryReport.csv(List.of(oom(), drained()));

    assertThat(csv.split("\n")).containsExactly(
        "mode,t,heap_after_gc,backlog,archived,pending_events",
        "naive,1.000,50000000,10,0,12",
        "naive,2.000,250000000,1000,20,1012",
        "archivist,1.000,40000000,0,0,",
        "archivist,2.500,40100000,100,20,");
  }

  @Test
  void json_reportsSlopeOomAndCounts() {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("workflows", 5000);
    String json = MemoryReport.json(settings, Map.of("cores", 2), List.of(oom(), drained()), S);

    JsonNode root = JsonMapper.builder().build().readTree(json);
    JsonNode naive = root.path("modes").get(0);
    JsonNode archivist = root.path("modes").get(1);
    assertThat(root.path("settings").path("workflows").asInt()).isEqualTo(5000);
    assertThat(naive.path("oom").asBoolean()).isTrue();
    assertThat(naive.path("oom_at_seconds").asDouble()).isEqualTo(2.4);
    assertThat(naive.path("oom_backlog").asLong()).isEqualTo(1000);
    assertThat(naive.path("slope_bytes_per_pending_event").asDouble()).isEqualTo(200000.0);
    assertThat(naive.path("max_pending_events").asLong()).isEqualTo(1012);
    assertThat(archivist.has("slope_bytes_per_pending_event")).isFalse();
    assertThat(naive.path("drain_seconds").isNull()).isTrue();
    assertThat(naive.path("every_workflow_archived_once").asBoolean()).isFalse();
    assertThat(archivist.path("slope_bytes_per_backlog_workflow").asDouble()).isEqualTo(1000.0);
    assertThat(archivist.path("oom_backlog").isNull()).isTrue();
    assertThat(archivist.path("slope_while_draining_bytes_per_backlog_workflow").asDouble())
        .isEqualTo(1000.0);
    assertThat(naive.path("slope_while_draining_bytes_per_backlog_workflow").isNull()).isTrue();
    assertThat(archivist.path("every_workflow_archived_once").asBoolean()).isTrue();
    assertThat(archivist.path("drain_seconds").asDouble()).isEqualTo(9.0);
  }

  @Test
  void markdown_showsOneRowPerModeWithOomAndDrain() {
    String table = MemoryReport.markdown(List.of(oom(), drained()), S);

    String[] lines = table.split("\n");
    assertThat(lines).hasSize(4);
    assertThat(lines[2]).startsWith("| naive |").contains("yes, at 2 s (backlog 1000)")
        .contains("not drained");
    assertThat(lines[3]).startsWith("| archivist |").contains("1000 B").contains("| no |")
        .contains("120 (120) / 120").contains("9 s");
  }

  @Test
  void render_drawsAPlotOfTheExpectedSize() {
    BufferedImage image = HeapPlot.render(List.of(oom(), drained()), 256L << 20, "title");

    assertThat(image.getWidth()).isEqualTo(1000);
    assertThat(image.getHeight()).isEqualTo(640);
    // Something other than the white background was drawn inside the plot area.
    boolean drawn = false;
    for (int x = 100; x < 900 && !drawn; x += 3) {
      for (int y = 80; y < 560 && !drawn; y += 3) {
        drawn = image.getRGB(x, y) != 0xFFFFFFFF;
      }
    }
    assertThat(drawn).isTrue();
  }

  @Test
  void niceStep_roundsUpToOneTwoOrFive() {
    assertThat(HeapPlot.niceStep(0.7)).isEqualTo(1.0);
    assertThat(HeapPlot.niceStep(13)).isEqualTo(20.0);
    assertThat(HeapPlot.niceStep(420)).isEqualTo(500.0);
  }
}
