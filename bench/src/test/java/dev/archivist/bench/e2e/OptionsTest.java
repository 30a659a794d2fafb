package dev.archivist.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OptionsTest {
  @Test
  void watchCache_onForE2eOffForTheBacklog() {
    assertThat(Options.parse(new String[0]).get("watch-cache")).isEqualTo("true");
    assertThat(Options.parse(new String[] {"--bench", "backlog", "--restart-with-backlog"})
        .get("watch-cache")).isEqualTo("false");
    assertThat(Options.parse(new String[] {"--bench", "backlog", "--watch-cache", "true"})
        .get("watch-cache")).isEqualTo("true");
  }

  @Test
  void watchCache_otherThanTrueOrFalse_isRefusedByName() {
    assertThatThrownBy(() -> Options.parse(new String[] {"--watch-cache", "off"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--watch-cache takes true or false, got off");
  }

  @Test
  void unknownFlag_isRefusedByName() {
    assertThatThrownBy(() -> Options.parse(new String[] {"--watchcache", "true"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown flag --watchcache");
  }
}
