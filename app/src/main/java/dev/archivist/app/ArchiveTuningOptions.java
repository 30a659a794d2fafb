package dev.archivist.app;

import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The controller's work flags shared by {@code run} and {@code demo}. The defaults are
 * {@code ControllerConfig.defaults()}'s; a test keeps them equal.
 */
final class ArchiveTuningOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(names = "--archive-burst", paramLabel = "N", defaultValue = "0",
      description = "Archive tokens that may accumulate; 0 means ceil(--archive-qps)"
          + " (default: ${DEFAULT-VALUE}).")
  int archiveBurst;

  @Option(names = "--workers", paramLabel = "N", defaultValue = "8",
      description = "Worker threads, each archiving one batch at a time"
          + " (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "50",
      description = "Workflows per database transaction at most (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--queue-capacity", paramLabel = "N", defaultValue = "100000",
      description = "Keys the archive queue holds before it drops and counts new ones; a"
          + " periodic sweep adds them back (default: ${DEFAULT-VALUE}).")
  int queueCapacity;

  @Option(names = "--max-retries", paramLabel = "N", defaultValue = "10",
      description = "Failed attempts after which a workflow is quarantined"
          + " (default: ${DEFAULT-VALUE}).")
  int maxRetries;

  @Option(names = "--retry-base-delay", paramLabel = "DURATION", defaultValue = "500ms",
      description = "The first per-workflow backoff after a failure; it doubles each time"
          + " (default: ${DEFAULT-VALUE}).")
  Duration retryBaseDelay;

  @Option(names = "--retry-max-delay", paramLabel = "DURATION", defaultValue = "5m",
      description = "The longest per-workflow backoff (default: ${DEFAULT-VALUE}).")
  Duration retryMaxDelay;

  @Option(names = "--sweep-period", paramLabel = "DURATION", defaultValue = "5m",
      description = "How often keys dropped at --queue-capacity are added back"
          + " (default: ${DEFAULT-VALUE}).")
  Duration sweepPeriod;

  @Option(names = "--shutdown-timeout", paramLabel = "DURATION", defaultValue = "30s",
      description = "How long shutdown waits for batches in flight"
          + " (default: ${DEFAULT-VALUE}).")
  Duration shutdownTimeout;

  void validate() {
    Flags.atLeast(spec, "--archive-burst", archiveBurst, 0);
    Flags.atLeast(spec, "--workers", workers, 1);
    Flags.atLeast(spec, "--batch-size", batchSize, 1);
    Flags.atLeast(spec, "--queue-capacity", queueCapacity, 1);
    Flags.atLeast(spec, "--max-retries", maxRetries, 0);
    Flags.positive(spec, "--retry-base-delay", retryBaseDelay);
    Flags.positive(spec, "--retry-max-delay", retryMaxDelay);
    Flags.positive(spec, "--sweep-period", sweepPeriod);
    Flags.positive(spec, "--shutdown-timeout", shutdownTimeout);
    if (retryMaxDelay.compareTo(retryBaseDelay) < 0) {
      throw Flags.invalid(spec, "--retry-max-delay", "must be >= --retry-base-delay ("
          + Durations.humanize(retryBaseDelay) + "), got " + Durations.humanize(retryMaxDelay));
    }
  }
}
