package dev.archivist.app;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The lifecycle flags of DESIGN section 4 that the controller does not support yet (issue 5).
 * They are declared, hidden, so that setting one (or its ARCHIVIST_ variable) fails clearly
 * instead of being ignored or reported as unknown.
 */
final class LifecycleFlags {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(names = "--delete-after", hidden = true, paramLabel = "DURATION")
  String deleteAfter;

  @Option(names = "--archive-ttl", hidden = true, paramLabel = "DURATION")
  String archiveTtl;

  @Option(names = "--gc-period", hidden = true, paramLabel = "DURATION")
  String gcPeriod;

  @Option(names = "--leader-elect", hidden = true, arity = "0..1", fallbackValue = "true")
  String leaderElect;

  @Option(names = "--lease-name", hidden = true, paramLabel = "NAME")
  String leaseName;

  @Option(names = "--lease-namespace", hidden = true, paramLabel = "NAMESPACE")
  String leaseNamespace;

  void rejectIfSet() {
    reject("--delete-after", deleteAfter);
    reject("--archive-ttl", archiveTtl);
    reject("--gc-period", gcPeriod);
    reject("--leader-elect", leaderElect);
    reject("--lease-name", leaseName);
    reject("--lease-namespace", leaseNamespace);
  }

  private void reject(String flag, String value) {
    if (value != null) {
      throw Flags.invalid(spec, flag, "is not supported yet (it comes with issue 5), got '"
          + value + "'; remove it");
    }
  }
}
