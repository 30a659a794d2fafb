package dev.archivist.controller;

import java.time.Duration;
import java.util.Objects;

/**
 * What happens to a workflow around archiving: quarantine, deletion after archiving,
 * retention of the archive, and leader election. Kept apart from {@link ControllerConfig}, which
 * says how archiving itself runs; {@link #defaults()} turns every optional behaviour off. Every
 * value is checked when the record is built, and a bad one fails with a message naming the flag
 * and the value ({@code "--gc-period must be a positive duration, got PT0S"}).
 *
 * @param quarantineRetryPeriod how often a quarantined workflow is tried again
 *     ({@code --quarantine-retry-period}, default 1 hour)
 * @param deleteAfter delete a workflow from the cluster this long after it was labelled Archived;
 *     {@link Duration#ZERO} deletes it as soon as it is labelled, null never deletes
 *     ({@code --delete-after}, default off)
 * @param archiveTtl delete archive rows whose {@code finishedat} is older than this;
 *     {@link Duration#ZERO} means keep them forever ({@code --archive-ttl}, default off)
 * @param gcPeriod how often the retention GC runs when {@code archiveTtl} is set
 *     ({@code --gc-period}, default 1 hour)
 * @param leaderElect run workers, deletion and GC only while holding the lease
 *     ({@code --leader-elect}, default false)
 * @param leaseName the {@code coordination.k8s.io} Lease ({@code --lease-name}, default
 *     {@code archivist})
 * @param leaseNamespace where the Lease lives ({@code --lease-namespace}; the app defaults it to
 *     the pod's namespace, else {@code default})
 * @param leaseIdentity this replica's name in the Lease (the app uses the pod name plus a random
 *     suffix)
 * @param leaseDuration how long a lease is valid without renewal; a standby takes over this long
 *     after the leader last renewed ({@code --lease-duration}, default 15 s)
 * @param renewDeadline how long the leader keeps trying to renew before it gives up leading; it
 *     stops writing at this point, {@code leaseDuration - renewDeadline} before anyone else may
 *     start ({@code --lease-renew-deadline}, default 10 s)
 * @param leaseRetryPeriod how often candidates try to acquire and the leader renews
 *     ({@code --lease-retry-period}, default 2 s)
 * @param finalizer add Archivist's finalizer to every workflow it may archive and remove it once
 *     the row is committed, so that no deletion loses a workflow ({@code --finalizer}, default
 *     false: a finalizer left by an uninstalled controller blocks every deletion until
 *     {@code archivist release-finalizers} runs)
 */
public record LifecycleConfig(
    Duration quarantineRetryPeriod,
    Duration deleteAfter,
    Duration archiveTtl,
    Duration gcPeriod,
    boolean leaderElect,
    String leaseName,
    String leaseNamespace,
    String leaseIdentity,
    Duration leaseDuration,
    Duration renewDeadline,
    Duration leaseRetryPeriod,
    boolean finalizer) {

  /**
   * How long a write that passed the leader fence may still take: {@code leaseDuration -
   * renewDeadline}, the time between the fence closing and a standby taking the lease. Under
   * leader election every Kubernetes request and database statement must fit in it, so that a
   * write that started while leading lands before anyone else can lead.
   */
  public Duration writeMargin() {
    return leaseDuration.minus(renewDeadline);
  }

  public LifecycleConfig {
    requirePositive("--quarantine-retry-period", quarantineRetryPeriod);
    if (deleteAfter != null && deleteAfter.isNegative()) {
      throw new IllegalArgumentException("--delete-after must be a duration >= 0 (0 deletes as "
          + "soon as archived; off, the default, never deletes), got " + deleteAfter);
    }
    requireNotNegative("--archive-ttl", archiveTtl);
    requirePositive("--gc-period", gcPeriod);
    requireName("--lease-name", leaseName);
    requireName("--lease-namespace", leaseNamespace);
    Objects.requireNonNull(leaseIdentity, "lease identity must not be null");
    if (leaseIdentity.isBlank()) {
      throw new IllegalArgumentException("the lease identity must not be blank");
    }
    requirePositive("--lease-duration", leaseDuration);
    requirePositive("--lease-renew-deadline", renewDeadline);
    requirePositive("--lease-retry-period", leaseRetryPeriod);
    if (renewDeadline.compareTo(leaseDuration) >= 0) {
      throw new IllegalArgumentException("--lease-renew-deadline must be shorter than "
          + "--lease-duration (" + leaseDuration + "), got " + renewDeadline + ": the leader must "
          + "stop writing before a standby may take over");
    }
    if (leaseRetryPeriod.compareTo(renewDeadline) >= 0) {
      throw new IllegalArgumentException("--lease-retry-period must be shorter than "
          + "--lease-renew-deadline (" + renewDeadline + "), got " + leaseRetryPeriod);
    }
  }

  /** Everything optional off; lease timings as client-go's defaults (15 s, 10 s, 2 s). */
  public static LifecycleConfig defaults() {
    return new LifecycleConfig(Duration.ofHours(1), null, Duration.ZERO,
        Duration.ofHours(1), false, "archivist", "default", "archivist", Duration.ofSeconds(15),
        Duration.ofSeconds(10), Duration.ofSeconds(2), false);
  }

  /** Whether {@code --delete-after} is on (a duration, 0 included). */
  public boolean deletes() {
    return deleteAfter != null;
  }

  /** Whether {@code --archive-ttl} is on. */
  public boolean collectsGarbage() {
    return !archiveTtl.isZero();
  }

  public LifecycleConfig withQuarantineRetryPeriod(Duration v) {
    return new LifecycleConfig(v, deleteAfter, archiveTtl, gcPeriod, leaderElect, leaseName,
        leaseNamespace, leaseIdentity, leaseDuration, renewDeadline,
        leaseRetryPeriod, finalizer);
  }

  /** Sets {@code --delete-after}: null turns it off, {@link Duration#ZERO} deletes at once. */
  public LifecycleConfig withDeleteAfter(Duration v) {
    return new LifecycleConfig(quarantineRetryPeriod, v, archiveTtl, gcPeriod, leaderElect,
        leaseName, leaseNamespace, leaseIdentity, leaseDuration, renewDeadline,
        leaseRetryPeriod, finalizer);
  }

  /** Sets {@code --archive-ttl} and {@code --gc-period} together. */
  public LifecycleConfig withRetention(Duration ttl, Duration period) {
    return new LifecycleConfig(quarantineRetryPeriod, deleteAfter, ttl, period, leaderElect,
        leaseName, leaseNamespace, leaseIdentity, leaseDuration, renewDeadline,
        leaseRetryPeriod, finalizer);
  }

  /** Turns leader election on with this Lease and identity. */
  public LifecycleConfig withLeaderElection(String name, String namespace, String identity) {
    return new LifecycleConfig(quarantineRetryPeriod, deleteAfter, archiveTtl, gcPeriod, true,
        name, namespace, identity, leaseDuration, renewDeadline,
        leaseRetryPeriod, finalizer);
  }

  /**
   * Sets {@code --lease-duration}, {@code --lease-renew-deadline}, {@code --lease-retry-period}.
   */
  public LifecycleConfig withLeaseTimings(Duration duration, Duration renew, Duration retry) {
    return new LifecycleConfig(quarantineRetryPeriod, deleteAfter, archiveTtl, gcPeriod,
        leaderElect, leaseName, leaseNamespace, leaseIdentity, duration, renew, retry,
        finalizer);
  }

  /** Turns {@code --finalizer} on or off. */
  public LifecycleConfig withFinalizer(boolean v) {
    return new LifecycleConfig(quarantineRetryPeriod, deleteAfter, archiveTtl, gcPeriod,
        leaderElect, leaseName, leaseNamespace, leaseIdentity, leaseDuration, renewDeadline,
        leaseRetryPeriod, v);
  }

  private static void requirePositive(String flag, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(flag + " must be a positive duration, got " + value);
    }
  }

  private static void requireNotNegative(String flag, Duration value) {
    if (value == null || value.isNegative()) {
      throw new IllegalArgumentException(flag + " must be a duration >= 0 (0 turns it off), got "
          + value);
    }
  }

  /** Lease names and namespaces are DNS-1123 names. */
  private static void requireName(String flag, String value) {
    if (value == null || !value.matches("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?")) {
      throw new IllegalArgumentException(flag + " must be a DNS-1123 name (lower case letters, "
          + "digits, '-' and '.'), got \"" + value + "\"");
    }
  }
}
