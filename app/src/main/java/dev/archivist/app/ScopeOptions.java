package dev.archivist.app;

import dev.archivist.store.StoreConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --cluster-name} and {@code --instance-id}: which slice of a shared Argo archive is ours.
 * Argo scopes every row by both, so they must match an Argo Server reading the same database.
 */
final class ScopeOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(names = "--cluster-name", paramLabel = "NAME", defaultValue = "default",
      description = "Argo's persistence.clusterName, written to every row"
          + " (default: ${DEFAULT-VALUE}).")
  String clusterName;

  @Option(names = "--instance-id", paramLabel = "ID", defaultValue = "",
      description = "Argo's controller instance ID, written to every row (default: empty).")
  String instanceId;

  /** {@code config}, writing and reading the rows of this scope. */
  StoreConfig applyTo(StoreConfig config) {
    return config.withScope(clusterName, instanceId);
  }

  void validate() {
    if (clusterName.isBlank() || clusterName.length() > 64) {
      throw Flags.invalid(spec, "--cluster-name", "must be 1 to 64 characters, got '"
          + clusterName + "'");
    }
    checkInstanceId(spec, instanceId);
  }

  /**
   * Refuses an {@code --instance-id} longer than 64 characters; {@code release-finalizers},
   * which declares the flag itself, checks it here too.
   */
  static void checkInstanceId(CommandSpec spec, String instanceId) {
    if (instanceId.length() > 64) {
      throw Flags.invalid(spec, "--instance-id", "must be at most 64 characters, got "
          + instanceId.length());
    }
  }
}
