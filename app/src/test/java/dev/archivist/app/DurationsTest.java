package dev.archivist.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void parse_acceptsGoStyleAndIso() {
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
    assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Durations.parse("PT5M")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("0")).isEqualTo(Duration.ZERO);
  }

  @Test
  void parse_rejectsGarbageSayingWhatIsExpected() {
    for (String bad : new String[] {"", "5", "5x", "h", "1h 30m", "-5m"}) {
      assertThatThrownBy(() -> Durations.parse(bad)).hasMessageContaining("is not a duration");
    }
  }

  @Test
  void humanize_followsKubectl() {
    assertThat(Durations.humanize(Duration.ofSeconds(45))).isEqualTo("45s");
    assertThat(Durations.humanize(Duration.ofSeconds(119))).isEqualTo("119s");
    assertThat(Durations.humanize(Duration.ofSeconds(310))).isEqualTo("5m10s");
    assertThat(Durations.humanize(Duration.ofMinutes(47))).isEqualTo("47m");
    assertThat(Durations.humanize(Duration.ofMinutes(185))).isEqualTo("3h5m");
    assertThat(Durations.humanize(Duration.ofHours(30))).isEqualTo("30h");
    assertThat(Durations.humanize(Duration.ofHours(75))).isEqualTo("3d3h");
    assertThat(Durations.humanize(Duration.ofDays(40))).isEqualTo("40d");
    assertThat(Durations.humanize(Duration.ofDays(800))).isEqualTo("2y70d");
    assertThat(Durations.humanize(Duration.ofSeconds(-5))).isEqualTo("0s");
  }

  @Test
  void sinceInstant_takesRfc3339OrADurationBack() {
    Instant now = Instant.parse("2026-05-01T12:00:00Z");

    assertThat(Durations.sinceInstant("24h", now)).isEqualTo(Instant.parse(
        "2026-04-30T12:00:00Z"));
    assertThat(Durations.sinceInstant("2026-04-01T00:00:00Z", now)).isEqualTo(Instant.parse(
        "2026-04-01T00:00:00Z"));
    assertThat(Durations.sinceInstant("2026-04-01T02:00:00+02:00", now)).isEqualTo(
        Instant.parse("2026-04-01T00:00:00Z"));
  }
}
