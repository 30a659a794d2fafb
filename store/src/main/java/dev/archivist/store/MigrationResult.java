package dev.archivist.store;

/**
 * What {@link ArchiveStore#migrate()} found and did.
 *
 * @param dialect {@code postgresql} or {@code mysql}
 * @param adopted true when an existing Argo archive was adopted rather than created
 * @param appliedMigrations how many of our migrations ran now
 * @param argoSchemaVersion the {@code schema_history} version afterwards (68)
 */
public record MigrationResult(String dialect, boolean adopted, int appliedMigrations,
    int argoSchemaVersion) {}
