package dev.archivist.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.archivist.core.LabelSelector;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ControllerConfigTest {

  @Test
  void defaults_areTheDocumentedOnes() {
    ControllerConfig c = ControllerConfig.defaults();
    assertThat(c.namespaces()).isEmpty();
    assertThat(c.clusterName()).isEqualTo("default");
    assertThat(c.instanceId()).isEmpty();
    assertThat(c.archiveSelector()).isEqualTo(LabelSelector.everything());
    assertThat(c.archiveQps()).isZero();
    assertThat(c.archiveBurst()).isZero();
    assertThat(c.workers()).isEqualTo(8);
    assertThat(c.batchSize()).isEqualTo(50);
    assertThat(c.queueCapacity()).isEqualTo(100_000);
    assertThat(c.maxRetries()).isEqualTo(10);
    assertThat(c.retryBaseDelay()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.retryMaxDelay()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.sweepPeriod()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void withX_changesOnlyThatField() {
    ControllerConfig c = ControllerConfig.defaults().withWorkers(3).withBatchSize(7)
        .withNamespaces(List.of("a", "b"));
    assertThat(c.workers()).isEqualTo(3);
    assertThat(c.batchSize()).isEqualTo(7);
    assertThat(c.namespaces()).containsExactly("a", "b");
    assertThat(c.queueCapacity()).isEqualTo(100_000);
  }

  @Test
  void validation_namesTheFlagAndTheValue() {
    ControllerConfig d = ControllerConfig.defaults();
    assertThatThrownBy(() -> d.withWorkers(0))
        .hasMessage("--workers must be >= 1, got 0");
    assertThatThrownBy(() -> d.withBatchSize(-1))
        .hasMessage("--batch-size must be >= 1, got -1");
    assertThatThrownBy(() -> d.withQueueCapacity(0))
        .hasMessage("--queue-capacity must be >= 1, got 0");
    assertThatThrownBy(() -> d.withArchiveQps(-3))
        .hasMessage("--archive-qps must be >= 0 and finite, got -3.0");
    assertThatThrownBy(() -> d.withArchiveQps(Double.NaN))
        .hasMessageStartingWith("--archive-qps must be >= 0");
    assertThatThrownBy(() -> d.withArchiveBurst(-1))
        .hasMessage("--archive-burst must be >= 0, got -1");
    assertThatThrownBy(() -> d.withMaxRetries(-1))
        .hasMessage("--max-retries must be >= 0, got -1");
    assertThatThrownBy(() -> d.withSweepPeriod(Duration.ZERO))
        .hasMessage("--sweep-period must be a positive duration, got PT0S");
    assertThatThrownBy(() -> d.withShutdownTimeout(Duration.ofSeconds(-1)))
        .hasMessage("--shutdown-timeout must be a positive duration, got PT-1S");
    assertThatThrownBy(() -> d.withRetryDelays(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageStartingWith("--retry-max-delay must be >= --retry-base-delay");
    assertThatThrownBy(() -> d.withClusterName(""))
        .hasMessage("--cluster-name must not be empty");
    assertThatThrownBy(() -> d.withClusterName("c".repeat(65)))
        .hasMessageStartingWith("--cluster-name must be at most 64 characters");
    assertThatThrownBy(() -> d.withInstanceId("i".repeat(65)))
        .hasMessageStartingWith("--instance-id must be at most 64 characters");
    assertThatThrownBy(() -> d.withNamespaces(List.of("a", " ")))
        .hasMessageStartingWith("--namespace must not be blank");
    assertThatThrownBy(() -> d.withNamespaces(List.of("a", "a")))
        .hasMessageStartingWith("--namespace must not repeat");
  }

  @Test
  void effectiveArchiveBurst_defaultsToTheRoundedUpRate() {
    ControllerConfig d = ControllerConfig.defaults();
    assertThat(d.withArchiveQps(2.5).effectiveArchiveBurst()).isEqualTo(3);
    assertThat(d.withArchiveQps(0.1).effectiveArchiveBurst()).isEqualTo(1);
    assertThat(d.withArchiveQps(2.5).withArchiveBurst(40).effectiveArchiveBurst()).isEqualTo(40);
  }
}
