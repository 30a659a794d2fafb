package dev.archivist.bench.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.archivist.testing.Fixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MemoryBenchOptionsTest {
  private static final Path ROOT = Path.of("/repo");

  @Test
  void parse_noFlags_givesTheDocumentedDefaults() {
    MemoryBenchOptions o = MemoryBenchOptions.parse(new String[0], ROOT);

    assertThat(o.modes()).containsExactly(Mode.NAIVE, Mode.ARGO, Mode.ARCHIVIST);
    assertThat(o.heap()).isEqualTo("256m");
    assertThat(o.heapBytes()).isEqualTo(256L << 20);
    assertThat(o.workflows()).isEqualTo(5000);
    assertThat(o.sizeBytes()).isEqualTo(65536);
    assertThat(o.updates()).isEqualTo(2);
    assertThat(o.archiveQps()).isEqualTo(20.0);
    assertThat(o.db()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/archivist_bench?user=postgres");
    assertThat(o.fixturesDir()).isEqualTo(Fixtures.locate(ROOT).resolve("kfp"));
  }

  @Test
  void parse_flags_overrideDefaults() {
    MemoryBenchOptions o = MemoryBenchOptions.parse(new String[] {"--mode", "archivist",
        "--heap=128m", "--workflows", "10000", "--size", "16k"}, ROOT);

    assertThat(o.modes()).containsExactly(Mode.ARCHIVIST);
    assertThat(o.heapBytes()).isEqualTo(128L << 20);
    assertThat(o.workflows()).isEqualTo(10000);
    assertThat(o.sizeBytes()).isEqualTo(16384);
  }

  @Test
  void parse_badValues_failNamingTheFlag() {
    assertThatThrownBy(() -> MemoryBenchOptions.parse(new String[] {"--mode", "fast"}, ROOT))
        .hasMessageContaining("--mode").hasMessageContaining("fast");
    assertThatThrownBy(() -> MemoryBenchOptions.parse(new String[] {"--heap", "lots"}, ROOT))
        .hasMessageContaining("--heap").hasMessageContaining("lots");
    assertThatThrownBy(() -> MemoryBenchOptions.parse(new String[] {"--generate-qps", "10"},
        ROOT)).hasMessageContaining("--generate-qps");
    assertThatThrownBy(() -> MemoryBenchOptions.parse(new String[] {"--speed", "1"}, ROOT))
        .hasMessageContaining("unknown flag '--speed'");
    assertThatThrownBy(() -> MemoryBenchOptions.parse(
        new String[] {"--db", "jdbc:mysql://h/db?password=secret"}, ROOT))
        .hasMessageContaining("--db").hasMessageNotContaining("secret");
  }

  @Test
  void jdbcUrls_deriveMaintenanceAndSchemaUrls() {
    String url = "jdbc:postgresql://127.0.0.1:5432/archivist_bench?user=postgres";

    assertThat(JdbcUrls.database(url)).isEqualTo("archivist_bench");
    assertThat(JdbcUrls.maintenance(url))
        .isEqualTo("jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
    assertThat(JdbcUrls.withSchema(url, "membench_naive"))
        .isEqualTo(url + "&currentSchema=membench_naive");
    assertThat(JdbcUrls.withSchema("jdbc:postgresql://h/db", "s"))
        .isEqualTo("jdbc:postgresql://h/db?currentSchema=s");
  }
}
