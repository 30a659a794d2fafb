package dev.archivist.app;

import dev.archivist.controller.LifecycleConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import picocli.CommandLine.Option;

/**
 * {@code run}'s lifecycle flags: deletion after archiving, retention of the archive, quarantine
 * retries, the finalizer and leader election. Defaults are {@link LifecycleConfig#defaults()}'s:
 * everything optional off.
 */
final class LifecycleOptions {
  /** Where Kubernetes mounts the pod's namespace. */
  static final Path POD_NAMESPACE_FILE =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  @Option(names = "--delete-after", paramLabel = "DURATION", defaultValue = "off",
      converter = Durations.OffOrDuration.class,
      description = "Delete a workflow from the cluster this long after it was archived (with"
          + " a uid precondition); 0 deletes it as soon as it is archived, off never"
          + " (default: ${DEFAULT-VALUE}).")
  Duration deleteAfter;

  @Option(names = "--archive-ttl", paramLabel = "DURATION", defaultValue = "0",
      description = "Delete archived rows whose finishedAt is older than this; 0 keeps them"
          + " forever (default: ${DEFAULT-VALUE}).")
  Duration archiveTtl;

  @Option(names = "--gc-period", paramLabel = "DURATION", defaultValue = "1h",
      description = "How often the --archive-ttl collection runs (default: ${DEFAULT-VALUE}).")
  Duration gcPeriod;

  @Option(names = "--quarantine-retry-period", paramLabel = "DURATION", defaultValue = "1h",
      description = "How often a quarantined workflow (one that failed --max-retries times) is"
          + " tried again (default: ${DEFAULT-VALUE}).")
  Duration quarantineRetryPeriod;

  @Option(names = "--finalizer",
      description = "Add the finalizer archivist.dev/archive to every workflow that may be"
          + " archived, and remove it once its row is committed, so that a workflow deleted"
          + " before it is archived (Argo's TTL, kubectl delete, running or not) is archived as"
          + " it was first. Off by default: run 'archivist release-finalizers' before"
          + " uninstalling, or deletions wait for a controller that is gone. See docs/argo.md.")
  boolean finalizer;

  @Option(names = "--leader-elect",
      description = "Archive, delete and collect only while holding a Lease, so that several"
          + " replicas can run (default: off).")
  boolean leaderElect;

  @Option(names = "--lease-name", paramLabel = "NAME", defaultValue = "archivist",
      description = "The coordination.k8s.io Lease for --leader-elect"
          + " (default: ${DEFAULT-VALUE}).")
  String leaseName;

  @Option(names = "--lease-namespace", paramLabel = "NAMESPACE",
      description = "Where the Lease lives (default: the pod's namespace, else default).")
  String leaseNamespace;

  @Option(names = "--lease-duration", paramLabel = "DURATION", defaultValue = "15s",
      description = "How long a lease holds without renewal (default: ${DEFAULT-VALUE}).")
  Duration leaseDuration;

  @Option(names = "--lease-renew-deadline", paramLabel = "DURATION", defaultValue = "10s",
      description = "How long the leader tries to renew before it stops working"
          + " (default: ${DEFAULT-VALUE}).")
  Duration renewDeadline;

  @Option(names = "--lease-retry-period", paramLabel = "DURATION", defaultValue = "2s",
      description = "How often candidates try to acquire and the leader renews"
          + " (default: ${DEFAULT-VALUE}).")
  Duration leaseRetryPeriod;

  /**
   * The controller's lifecycle config; its validation messages name the flag.
   *
   * @throws IllegalArgumentException naming the flag and value
   */
  LifecycleConfig toConfig(EnvironmentDefaults env) {
    LifecycleConfig c = LifecycleConfig.defaults()
        .withQuarantineRetryPeriod(quarantineRetryPeriod)
        .withDeleteAfter(deleteAfter)
        .withRetention(archiveTtl, gcPeriod)
        .withLeaseTimings(leaseDuration, renewDeadline, leaseRetryPeriod)
        .withFinalizer(finalizer);
    if (leaderElect) {
      c = c.withLeaderElection(leaseName, namespace(), identity(env));
    }
    return c;
  }

  private String namespace() {
    if (leaseNamespace != null && !leaseNamespace.isBlank()) {
      return leaseNamespace.strip();
    }
    try {
      if (Files.isReadable(POD_NAMESPACE_FILE)) {
        String ns = Files.readString(POD_NAMESPACE_FILE, StandardCharsets.UTF_8).strip();
        if (!ns.isEmpty()) {
          return ns;
        }
      }
    } catch (java.io.IOException e) {
      // Not in a pod, or not readable: fall back to "default" as client-go's tools do.
    }
    return "default";
  }

  /** The pod name (HOSTNAME) and a random suffix, so two processes never share an identity. */
  private static String identity(EnvironmentDefaults env) {
    String host = env.get("HOSTNAME");
    if (host == null || host.isBlank()) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        host = "archivist";
      }
    }
    return host + "_" + UUID.randomUUID().toString().substring(0, 8);
  }
}
