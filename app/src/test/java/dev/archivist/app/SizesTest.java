package dev.archivist.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SizesTest {

  @Test
  void parse_acceptsBytesAndBinaryUnits() {
    assertThat(Sizes.parse("2048")).isEqualTo(2048);
    assertThat(Sizes.parse("4k")).isEqualTo(4096);
    assertThat(Sizes.parse("64KiB")).isEqualTo(65536);
    assertThat(Sizes.parse("1MiB")).isEqualTo(1 << 20);
  }

  @Test
  void parse_rejectsGarbage() {
    assertThatThrownBy(() -> Sizes.parse("big")).hasMessageContaining("is not a size");
  }

  @Test
  void format_usesTheLargestExactUnit() {
    assertThat(Sizes.format(65536)).isEqualTo("64KiB");
    assertThat(Sizes.format(1000)).isEqualTo("1000B");
  }
}
