package dev.archivist.controller;

import dev.archivist.core.LabelSelector;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the archive controller watches and how hard it works. Start from {@link #defaults()} and
 * change fields with the {@code withX} methods; every value is checked when the record is built,
 * and a bad one fails with a message naming the command-line flag and the value
 * ({@code "--workers must be >= 1, got 0"}).
 *
 * @param namespaces the namespaces to watch, one informer each; empty watches every namespace
 *     with a single informer ({@code --namespace}, repeatable)
 * @param clusterName Argo's {@code persistence.clusterName}, the first half of the row key
 *     ({@code --cluster-name}, default {@code default})
 * @param instanceId Argo's controller instance ID ({@code --instance-id}, default empty)
 * @param archiveSelector only workflows whose labels match are archived, checked by the workers on
 *     the latest object ({@code --archive-label-selector}, default everything)
 * @param archiveQps workflows archived per second at most; 0 means no limit
 *     ({@code --archive-qps}, default 0)
 * @param archiveBurst how many archive tokens may accumulate; 0 means {@code ceil(archiveQps)}
 *     ({@code --archive-burst}, default 0)
 * @param workers worker threads, each archiving one batch at a time ({@code --workers}, default 8)
 * @param batchSize workflows per database transaction at most ({@code --batch-size}, default 50)
 * @param queueCapacity keys the archive queue holds before it drops (and counts) new ones; the
 *     sweep adds dropped keys back ({@code --queue-capacity}, default 100000)
 * @param maxRetries failed attempts, for a reason of the workflow's own, after which it is
 *     quarantined; until then it retries with per-item exponential backoff
 *     ({@code --max-retries}, default 10)
 * @param retryBaseDelay the first per-item backoff; it doubles on every failure
 *     ({@code --retry-base-delay}, default 500 ms)
 * @param retryMaxDelay the per-item backoff never exceeds this ({@code --retry-max-delay},
 *     default 5 minutes)
 * @param sweepPeriod how often the informers' key sets are compared with what was dropped at
 *     capacity ({@code --sweep-period}, default 5 minutes)
 * @param shutdownTimeout how long {@link ArchiveController#close()} waits for in-flight batches
 *     ({@code --shutdown-timeout}, default 30 s)
 */
public record ControllerConfig(
    List<String> namespaces,
    String clusterName,
    String instanceId,
    LabelSelector archiveSelector,
    double archiveQps,
    int archiveBurst,
    int workers,
    int batchSize,
    int queueCapacity,
    int maxRetries,
    Duration retryBaseDelay,
    Duration retryMaxDelay,
    Duration sweepPeriod,
    Duration shutdownTimeout) {

  /** Argo's {@code clustername} and {@code instanceid} columns are {@code varchar(64)}. */
  private static final int MAX_SCOPE_LENGTH = 64;

  public ControllerConfig {
    Objects.requireNonNull(namespaces, "--namespace must not be null");
    namespaces = List.copyOf(namespaces);
    for (String ns : namespaces) {
      if (ns == null || ns.isBlank()) {
        throw new IllegalArgumentException("--namespace must not be blank, got " + namespaces);
      }
    }
    if (namespaces.stream().distinct().count() != namespaces.size()) {
      throw new IllegalArgumentException("--namespace must not repeat a namespace, got "
          + namespaces);
    }
    requireScope("--cluster-name", clusterName, false);
    requireScope("--instance-id", instanceId, true);
    Objects.requireNonNull(archiveSelector, "--archive-label-selector must not be null");
    if (!(archiveQps >= 0) || Double.isInfinite(archiveQps)) {
      throw new IllegalArgumentException("--archive-qps must be >= 0 and finite, got "
          + archiveQps);
    }
    requireAtLeast("--archive-burst", archiveBurst, 0);
    requireAtLeast("--workers", workers, 1);
    requireAtLeast("--batch-size", batchSize, 1);
    requireAtLeast("--queue-capacity", queueCapacity, 1);
    requireAtLeast("--max-retries", maxRetries, 0);
    requirePositive("--retry-base-delay", retryBaseDelay);
    requirePositive("--retry-max-delay", retryMaxDelay);
    if (retryMaxDelay.compareTo(retryBaseDelay) < 0) {
      throw new IllegalArgumentException("--retry-max-delay must be >= --retry-base-delay ("
          + retryBaseDelay + "), got " + retryMaxDelay);
    }
    requirePositive("--sweep-period", sweepPeriod);
    requirePositive("--shutdown-timeout", shutdownTimeout);
  }

  /** The defaults listed on the components above. */
  public static ControllerConfig defaults() {
    return new ControllerConfig(List.of(), "default", "", LabelSelector.everything(), 0, 0, 8, 50,
        100_000, 10, Duration.ofMillis(500), Duration.ofMinutes(5), Duration.ofMinutes(5),
        Duration.ofSeconds(30));
  }

  /** The burst the archive rate limiter uses: {@code archiveBurst}, or {@code ceil(qps)}. */
  public int effectiveArchiveBurst() {
    if (archiveBurst > 0) {
      return archiveBurst;
    }
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.ceil(archiveQps)));
  }

  public ControllerConfig withNamespaces(List<String> v) {
    return new ControllerConfig(v, clusterName, instanceId, archiveSelector, archiveQps,
        archiveBurst, workers, batchSize, queueCapacity, maxRetries, retryBaseDelay,
        retryMaxDelay, sweepPeriod, shutdownTimeout);
  }

  public ControllerConfig withClusterName(String v) {
    return new ControllerConfig(namespaces, v, instanceId, archiveSelector, archiveQps,
        archiveBurst, workers, batchSize, queueCapacity, maxRetries, retryBaseDelay,
        retryMaxDelay, sweepPeriod, shutdownTimeout);
  }

  public ControllerConfig withInstanceId(String v) {
    return new ControllerConfig(namespaces, clusterName, v, archiveSelector, archiveQps,
        archiveBurst, workers, batchSize, queueCapacity, maxRetries, retryBaseDelay,
        retryMaxDelay, sweepPeriod, shutdownTimeout);
  }

  public ControllerConfig withArchiveSelector(LabelSelector v) {
    return new ControllerConfig(namespaces, clusterName, instanceId, v, archiveQps,
        archiveBurst, workers, batchSize, queueCapacity, maxRetries, retryBaseDelay,
        retryMaxDelay, sweepPeriod, shutdownTimeout);
  }

  public ControllerConfig withArchiveQps(double v) {
    return new ControllerConfig(namespaces, clusterName, instanceId, archiveSelector, v,
        archiveBurst, workers, batchSize, queueCapacity, maxRetries, retryBaseDelay,
        retryMaxDelay, sweepPeriod, shutdownTimeout);
  }

  public ControllerConfig withArchiveBurst(int v) {
    return new ControllerConfig(namespaces, clusterName, instanceId, archiveSelector, archiveQps,
        v, workers, batchSize, queueCapacity, maxRetries, retryBaseDelay,
        retryMaxDelay, sweepPeriod, shutdownTimeout);
  }

  public ControllerConfig withWorkers(int v) {
    return new ControllerConfig(namespaces, clusterName, instanceId, archiveSelector, archiveQps,
        archiveBurst, v, batchSize, queueCapacity, maxRetries, retryBaseDelay,
        retryMaxDelay, sweepPeriod, shutdownTimeout);
  }

  public ControllerConfig withBatchSize(int v) {
    return new ControllerConfig(namespaces, clusterName, instanceId, archiveSelector, archiveQps,
        archiveBurst, workers, v, queueCapacity, maxRetries, retryBaseDelay,
        retryMaxDelay, sweepPeriod, shutdownTimeout);
  }

  public ControllerConfig withQueueCapacity(int v) {
    return new ControllerConfig(namespaces, clusterName, instanceId, archiveSelector, archiveQps,
        archiveBurst, workers, batchSize, v, maxRetries, retryBaseDelay,
        retryMaxDelay, sweepPeriod, shutdownTimeout);
  }

  public ControllerConfig withMaxRetries(int v) {
    return new ControllerConfig(namespaces, clusterName, instanceId, archiveSelector, archiveQps,
        archiveBurst, workers, batchSize, queueCapacity, v, retryBaseDelay,
        retryMaxDelay, sweepPeriod, shutdownTimeout);
  }

  public ControllerConfig withRetryDelays(Duration base, Duration max) {
    return new ControllerConfig(namespaces, clusterName, instanceId, archiveSelector, archiveQps,
        archiveBurst, workers, batchSize, queueCapacity, maxRetries, base,
        max, sweepPeriod, shutdownTimeout);
  }

  public ControllerConfig withSweepPeriod(Duration v) {
    return new ControllerConfig(namespaces, clusterName, instanceId, archiveSelector, archiveQps,
        archiveBurst, workers, batchSize, queueCapacity, maxRetries, retryBaseDelay,
        retryMaxDelay, v, shutdownTimeout);
  }

  public ControllerConfig withShutdownTimeout(Duration v) {
    return new ControllerConfig(namespaces, clusterName, instanceId, archiveSelector, archiveQps,
        archiveBurst, workers, batchSize, queueCapacity, maxRetries, retryBaseDelay,
        retryMaxDelay, sweepPeriod, v);
  }

  private static void requireAtLeast(String flag, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(flag + " must be >= " + min + ", got " + value);
    }
  }

  private static void requirePositive(String flag, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(flag + " must be a positive duration, got " + value);
    }
  }

  private static void requireScope(String flag, String value, boolean mayBeEmpty) {
    if (value == null) {
      throw new IllegalArgumentException(flag + " must not be null");
    }
    if (!mayBeEmpty && value.isEmpty()) {
      throw new IllegalArgumentException(flag + " must not be empty");
    }
    if (value.length() > MAX_SCOPE_LENGTH) {
      throw new IllegalArgumentException(flag + " must be at most " + MAX_SCOPE_LENGTH
          + " characters (Argo's column is varchar(64)), got " + value.length() + ": \""
          + value + "\"");
    }
  }
}
