package dev.archivist.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;

import org.flywaydb.core.api.output.MigrateResult;

/**
 * Creates Argo's step-68 schema, adopts an existing one, or refuses, with Flyway keeping our own
 * history in {@value SchemaInspector#FLYWAY_TABLE} (Argo's {@code schema_history} is Argo's).
 *
 * <ul>
 *   <li>Empty schema: V1 creates Argo's tables, indexes and {@code schema_history} = 68; later
 *       versions add what is ours (docs/schema.md).</li>
 *   <li>Argo's tables at step 68 and no history of ours: they are checked column by column;
 *       if they match, Flyway baselines at V1 (nothing of Argo's is touched, no row is changed)
 *       and applies our later, additive versions.</li>
 *   <li>{@code schema_history} ahead of 68, behind 68, or tables that differ: refused with an
 *       {@link ArchiveStoreException} that says which, before anything is changed.</li>
 * </ul>
 */
final class SchemaMigrator {
  /** Baseline of an adopted archive: V1 (Argo's tables) counts as applied. */
  private static final String ADOPTED_BASELINE = "1";
  /** Baseline of a schema that held only other tables: V1 still runs. */
  private static final String EMPTY_BASELINE = "0";

  private final DataSource dataSource;
  private final Dialect dialect;

  SchemaMigrator(DataSource dataSource, Dialect dialect) {
    this.dataSource = dataSource;
    this.dialect = dialect;
  }

  /**
   * Migrations whose text changed in comments only since a release applied them, as
   * (version, Flyway's checksum before, after) per dialect. Flyway's checksum covers comments, so
   * an archive migrated before the edit would otherwise fail validation; its history row is moved
   * to the new checksum, and only from the old one (any other difference still fails).
   */
  private static final Map<Dialect, List<CommentEdit>> COMMENT_EDITS = Map.of(
      Dialect.POSTGRESQL, List.of(new CommentEdit("10", -674420296, 1041292347)),
      Dialect.MYSQL, List.of(new CommentEdit("10", -1663192786, -891373310)));

  record CommentEdit(String version, int before, int after) {}

  MigrationResult migrate() throws SQLException {
    SchemaInspector.Findings f;
    try (Connection c = dataSource.getConnection()) {
      f = SchemaInspector.inspect(c, dialect);
    }
    Integer v = f.argoSchemaVersion();
    if (v != null && v > SchemaInspector.ARGO_STEP) {
      throw refuse("schema_history is at Argo step " + v + ", ahead of step "
          + SchemaInspector.ARGO_STEP + " that this Archivist knows (Argo v4.1): a newer Argo"
          + " migrated this database; upgrade Archivist, or point it at another database");
    }
    Flyway flyway = flyway(ADOPTED_BASELINE, "adopted an existing Argo step-68 archive");
    boolean adopting = false;
    if (!f.has(SchemaInspector.FLYWAY_TABLE) && !f.hasArgoTables() && !f.has("schema_history")
        && !f.tables().isEmpty()) {
      // Someone else's tables share the schema. Flyway will not migrate a non-empty schema
      // without a history, so start our history before V1, which then creates Argo's tables.
      flyway(EMPTY_BASELINE, "schema had other tables but no Argo archive").baseline();
    } else if (!f.has(SchemaInspector.FLYWAY_TABLE)) {
      if (f.hasArgoTables() || f.has("schema_history")) {
        if (v == null) {
          throw refuse("Argo's archive tables exist but schema_history has no version;"
              + " refusing to guess which step they are at. Differences from step "
              + SchemaInspector.ARGO_STEP + ": " + describe(f));
        }
        if (v < SchemaInspector.ARGO_STEP) {
          throw refuse("schema_history is at Argo step " + v + ", behind step "
              + SchemaInspector.ARGO_STEP + ": let Argo (v4.1) finish migrating this database"
              + " first, then run migrate again");
        }
        if (!f.differences().isEmpty()) {
          throw refuse("schema_history says step " + v + " but Argo's tables differ from it: "
              + describe(f));
        }
        flyway.baseline();
        adopting = true;
      }
    }
    if (f.has(SchemaInspector.FLYWAY_TABLE)) {
      acceptCommentEdits();
    }
    MigrateResult result = flyway.migrate();
    boolean adopted = adopting || wasAdopted(flyway);
    return new MigrationResult(dialect.id(), adopted, result.migrationsExecuted,
        SchemaInspector.ARGO_STEP);
  }

  /** Moves the history rows of {@link #COMMENT_EDITS} from their old checksum to the new one. */
  private void acceptCommentEdits() throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("UPDATE " + SchemaInspector.FLYWAY_TABLE
            + " SET checksum = ? WHERE version = ? AND checksum = ?")) {
      for (CommentEdit e : commentEdits(dialect)) {
        ps.setInt(1, e.after());
        ps.setString(2, e.version());
        ps.setInt(3, e.before());
        ps.executeUpdate();
      }
    }
  }

  static List<CommentEdit> commentEdits(Dialect dialect) {
    return COMMENT_EDITS.getOrDefault(dialect, List.of());
  }

  private Flyway flyway(String baselineVersion, String baselineDescription) {
    return Flyway.configure(SchemaMigrator.class.getClassLoader())
        .dataSource(dataSource)
        .locations("classpath:db/archivist/" + dialect.id())
        .table(SchemaInspector.FLYWAY_TABLE)
        .baselineVersion(baselineVersion)
        .baselineDescription(baselineDescription)
        .cleanDisabled(true)
        .load();
  }

  private static boolean wasAdopted(Flyway flyway) {
    for (MigrationInfo i : flyway.info().applied()) {
      if (i.getType().isBaseline()
          && ADOPTED_BASELINE.equals(i.getVersion().getVersion())) {
        return true;
      }
    }
    return false;
  }

  private static String describe(SchemaInspector.Findings f) {
    return f.differences().isEmpty() ? "(none)" : String.join("; ", f.differences());
  }

  private ArchiveStoreException refuse(String why) {
    return new ArchiveStoreException("archive store: migrate refused, nothing was changed: "
        + why, null, null);
  }
}
