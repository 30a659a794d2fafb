package dev.archivist.app;

import dev.archivist.app.db.EmbeddedDatabase;
import dev.archivist.core.Redaction;
import dev.archivist.store.ArchiveStore;
import dev.archivist.store.MigrationResult;
import dev.archivist.store.StoreConfig;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opening the archive store for a command: {@code --db}, else the embedded PostgreSQL. */
final class Archives {
  private static final Logger log = LoggerFactory.getLogger(Archives.class);

  private Archives() {}

  /**
   * Opens the store of {@code db}, or starts the embedded PostgreSQL under {@code dataDir} when
   * no {@code --db} is given; both are registered with {@code lifecycle}, which closes them.
   */
  static ArchiveStore open(DatabaseOptions db, ScopeOptions scope, Path dataDir,
      EnvironmentDefaults env, Lifecycle lifecycle) {
    StoreConfig config;
    if (db.isSet()) {
      // The file is read now, to fail at start naming the flag, and again by the pool for
      // every connection it opens, so a rotated password needs no restart.
      config = db.storeConfig(env).withPasswordFile(db.passwordFile);
    } else {
      log.info("no --db given: using the embedded PostgreSQL under {}", dataDir.toAbsolutePath());
      EmbeddedDatabase embedded = lifecycle.add("embedded PostgreSQL",
          EmbeddedDatabase.start(dataDir));
      config = db.withTimeouts(StoreConfig.of(embedded.jdbcUrl(), EmbeddedDatabase.USER, null));
    }
    return lifecycle.add("archive store", openStore(scope.applyTo(config)));
  }

  /** Opens a store, turning a failure into a message naming the (redacted) URL. */
  static ArchiveStore openStore(StoreConfig config) {
    try {
      return ArchiveStore.open(config);
    } catch (RuntimeException e) {
      throw new CommandFailedException(ExitCodes.ERROR, "cannot open the archive at "
          + Redaction.url(config.jdbcUrl()), e);
    }
  }

  /**
   * Creates or upgrades the schema of the store {@code db} opened (the embedded PostgreSQL when
   * no {@code --db} was given), or fails with the store's reason.
   */
  static MigrationResult migrate(ArchiveStore store, DatabaseOptions db) {
    try {
      return store.migrate();
    } catch (RuntimeException e) {
      String where = db.isSet() ? Redaction.url(db.url) : "embedded";
      throw new CommandFailedException(ExitCodes.ERROR, "the archive schema at " + where
          + " was not migrated", e);
    }
  }

  /** One line for people: what {@link ArchiveStore#migrate()} found and did. */
  static String describe(MigrationResult r) {
    String what;
    if (r.adopted()) {
      what = "adopted an existing Argo archive";
      if (r.appliedMigrations() > 0) {
        what += " and applied " + r.appliedMigrations() + " migration(s)";
      }
    } else if (r.appliedMigrations() > 0) {
      what = "created the archive schema (" + r.appliedMigrations() + " migration(s) applied)";
    } else {
      what = "the archive schema is up to date";
    }
    return what + "; " + r.dialect() + ", Argo schema version " + r.argoSchemaVersion();
  }
}
