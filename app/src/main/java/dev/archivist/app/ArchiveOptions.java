package dev.archivist.app;

import dev.archivist.store.ArchiveStore;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The archive that {@code run} and {@code serve} open: the database of {@code --db}, else the
 * embedded PostgreSQL under {@code --data-dir}, in the scope of {@code --cluster-name} and
 * {@code --instance-id}.
 */
final class ArchiveOptions {
  @Mixin
  DatabaseOptions db;

  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "archivist-data",
      description = "Where the embedded PostgreSQL keeps its data when no --db is given"
          + " (default: ./${DEFAULT-VALUE}).")
  Path dataDir;

  @Mixin
  ScopeOptions scope;

  /** Checks the database and scope flags; call before {@link #open}. */
  void validate() {
    db.validate();
    scope.validate();
  }

  /** Opens the archive (see {@link Archives#open}); {@code lifecycle} closes it. */
  ArchiveStore open(EnvironmentDefaults env, Lifecycle lifecycle) {
    return Archives.open(db, scope, dataDir, env, lifecycle);
  }
}
