package dev.archivist.app;

import dev.archivist.store.ArchiveStore;
import dev.archivist.store.MigrationResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code archivist migrate}: creates, adopts or upgrades the archive schema. */
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Create or upgrade the archive schema, or adopt an existing Argo archive.",
        "",
        "Prints what it did (created, adopted, up to date), or why it refused (exit code 1)."
            + " Safe to run again."},
    footer = {"", "Example: archivist migrate --db jdbc:postgresql://db:5432/argo --db-user argo"
        + " --db-password-file /secrets/password"})
final class MigrateCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  DatabaseOptions db;

  @Override
  public Integer call() {
    Main root = Main.root(spec);
    db.validate();
    if (!db.isSet()) {
      throw Flags.invalid(spec, "--db", "is required (a jdbc:postgresql:, jdbc:mariadb: or"
          + " jdbc:mysql: URL)");
    }
    try (ArchiveStore store = Archives.openStore(db.storeConfig(root.env()))) {
      MigrationResult result = Archives.migrate(store, db);
      spec.commandLine().getOut().println(Archives.describe(result));
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
  }
}
