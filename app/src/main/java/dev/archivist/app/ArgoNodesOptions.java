package dev.archivist.app;

import dev.archivist.store.ArchiveStore;
import dev.archivist.store.StoreConfig;
import dev.archivist.store.argo.ArgoNodesConfig;
import dev.archivist.store.argo.NodeRestorer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --argo-offload-table} and {@code --argo-offload-db}: where Argo's controller offloads the
 * nodes of large workflows, which {@code run} puts back before writing each row.
 */
final class ArgoNodesOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(names = "--argo-offload-table", paramLabel = "[SCHEMA.]TABLE",
      defaultValue = ArgoNodesConfig.DEFAULT_OFFLOAD_TABLE,
      description = "Argo's node-status offload table (its persistence tableName), read to"
          + " restore offloaded nodes (default: ${DEFAULT-VALUE}).")
  String offloadTable;

  @Option(names = "--argo-offload-db", paramLabel = "JDBC_URL",
      description = "The database Argo's controller offloads nodes to, when it is not the"
          + " archive database: a jdbc:postgresql:, jdbc:mariadb: or jdbc:mysql: URL, opened with"
          + " --db-user and the --db password (default: the archive database).")
  String offloadDb;

  /**
   * Checks both flags; call before {@link #restorer}.
   *
   * @return the table's config
   */
  ArgoNodesConfig validate() {
    ArgoNodesConfig config;
    try {
      config = ArgoNodesConfig.ofTable(offloadTable.strip());
    } catch (IllegalArgumentException e) {
      throw Flags.invalid(spec, "--argo-offload-table", "must be a table name, optionally"
          + " schema-qualified ([schema.]table: letters, digits and underscores, at most 63"
          + " each), got '" + offloadTable + "'");
    }
    if (offloadDb != null) {
      DatabaseOptions.requireSupportedUrl(spec, "--argo-offload-db", offloadDb.strip());
    }
    return config;
  }

  /**
   * The restorer: over {@code archive}'s database, or over a store opened (not migrated) on
   * {@code --argo-offload-db}, which {@code lifecycle} then closes.
   */
  NodeRestorer restorer(ArchiveStore archive, DatabaseOptions db, ScopeOptions scope,
      EnvironmentDefaults env, Lifecycle lifecycle) {
    ArgoNodesConfig config = validate();
    if (offloadDb == null) {
      return archive.nodeRestorer(config);
    }
    StoreConfig store = scope.applyTo(db.storeConfig(offloadDb, env));
    return lifecycle.add("Argo offload database", Archives.openStore(store))
        .nodeRestorer(config);
  }
}
