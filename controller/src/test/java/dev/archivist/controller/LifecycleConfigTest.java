package dev.archivist.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.archivist.controller.lifecycle.RetentionGc;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LifecycleConfigTest {

  @Test
  void defaults_turnEveryOptionalBehaviourOff() {
    LifecycleConfig d = LifecycleConfig.defaults();
    assertThat(d.deletes()).isFalse();
    assertThat(d.collectsGarbage()).isFalse();
    assertThat(d.leaderElect()).isFalse();
    assertThat(d.quarantineRetryPeriod()).isEqualTo(Duration.ofHours(1));
    assertThat(d.leaseName()).isEqualTo("archivist");
  }

  @Test
  void constructor_badValues_failNamingTheFlagAndValue() {
    LifecycleConfig d = LifecycleConfig.defaults();
    assertThatThrownBy(() -> d.withQuarantineRetryPeriod(Duration.ZERO))
        .hasMessage("--quarantine-retry-period must be a positive duration, got PT0S");
    assertThatThrownBy(() -> d.withDeleteAfter(Duration.ofSeconds(-1)))
        .hasMessageStartingWith("--delete-after must be a duration >= 0")
        .hasMessageContaining("PT-1S");
    assertThatThrownBy(() -> d.withRetention(Duration.ofDays(1), Duration.ZERO))
        .hasMessage("--gc-period must be a positive duration, got PT0S");
    assertThatThrownBy(() -> d.withLeaderElection("Bad_Name", "default", "me"))
        .hasMessageStartingWith("--lease-name must be a DNS-1123 name")
        .hasMessageContaining("\"Bad_Name\"");
    assertThatThrownBy(() -> d.withLeaseTimings(Duration.ofSeconds(10), Duration.ofSeconds(10),
        Duration.ofSeconds(2)))
        .hasMessageStartingWith("--lease-renew-deadline must be shorter than --lease-duration");
    assertThatThrownBy(() -> d.withLeaseTimings(Duration.ofSeconds(10), Duration.ofSeconds(5),
        Duration.ofSeconds(5)))
        .hasMessageStartingWith("--lease-retry-period must be shorter than "
            + "--lease-renew-deadline");
  }

  @Test
  void deleteAfter_zeroDeletesAtOnce_nullNever() {
    assertThat(LifecycleConfig.defaults().deleteAfter()).isNull();
    assertThat(LifecycleConfig.defaults().withDeleteAfter(Duration.ZERO).deletes()).isTrue();
    assertThat(LifecycleConfig.defaults().withDeleteAfter(Duration.ZERO)
        .withDeleteAfter(null).deletes()).isFalse();
  }

  @Test
  void withX_setsOnlyThatValue() {
    LifecycleConfig c = LifecycleConfig.defaults().withDeleteAfter(Duration.ofMinutes(5))
        .withRetention(Duration.ofDays(30), Duration.ofMinutes(10))
        .withLeaderElection("lease", "argo", "pod-1");
    assertThat(c.deletes()).isTrue();
    assertThat(c.deleteAfter()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.archiveTtl()).isEqualTo(Duration.ofDays(30));
    assertThat(c.gcPeriod()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.leaderElect()).isTrue();
    assertThat(c.leaseNamespace()).isEqualTo("argo");
    assertThat(c.leaseIdentity()).isEqualTo("pod-1");
  }

  @Test
  void firstDelay_isTenSecondsOrOnePeriodIfShorter() {
    assertThat(RetentionGc.firstDelay(Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(10));
    assertThat(RetentionGc.firstDelay(Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(3));
  }
}
