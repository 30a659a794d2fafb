package dev.archivist.store;

import java.sql.SQLException;
import java.util.Locale;

/**
 * What differs between PostgreSQL and MySQL/MariaDB, in one place. MariaDB and MySQL share a
 * dialect: the same SQL serves both.
 */
enum Dialect {
  POSTGRESQL("postgresql") {
    @Override
    String jsonParameter() {
      return "CAST(? AS jsonb)";
    }

    @Override
    String upsertSuffix() {
      return " ON CONFLICT (clustername, uid) DO UPDATE SET name = EXCLUDED.name,"
          + " phase = EXCLUDED.phase, namespace = EXCLUDED.namespace,"
          + " workflow = EXCLUDED.workflow, startedat = EXCLUDED.startedat,"
          + " finishedat = EXCLUDED.finishedat, instanceid = EXCLUDED.instanceid,"
          + " creationtimestamp = EXCLUDED.creationtimestamp";
    }

    @Override
    String keysetCondition(String alias) {
      // A row comparison, which PostgreSQL turns into one index range.
      return "(" + alias + ".startedat, " + alias + ".uid) < (?, ?)";
    }

    @Override
    int keysetParameterCount() {
      return 2;
    }

    @Override
    String integerValue(String column) {
      return "CASE WHEN " + column + " ~ '^-?[0-9]{1,18}$' THEN CAST(" + column
          + " AS bigint) END";
    }

    @Override
    String jsonPath(String column, String... path) {
      StringBuilder sb = new StringBuilder(column);
      for (String p : path) {
        sb.append("->'").append(p).append('\'');
      }
      return sb.toString();
    }

    @Override
    String connectionInitSql() {
      // UTC timestamps. No parallel plans: our reads are LIMIT-ed index walks, where starting
      // workers costs more latency (and CPU on a busy server) than it can save. Custom plans
      // only: a generic plan cannot see that workflows.argoproj.io/completed=true matches every
      // row, guesses label parameters are selective, and drives a list from the labels table
      // (seconds instead of milliseconds on a large archive). Planning with the actual values
      // costs well under a millisecond and keeps every value a bound parameter. Writes set it
      // back to auto for their transaction (BatchWriter): there it would replan the foreign-key
      // check of every label row.
      return "SET TIME ZONE 'UTC'; SET max_parallel_workers_per_gather = 0;"
          + " SET plan_cache_mode = force_custom_plan";
    }

    @Override
    String schemaFunction() {
      return "current_schema()";
    }

    @Override
    boolean readsPageInOnePass() {
      // The projection above the inner query's LIMIT runs for the page's rows only, and until
      // then the JSON column is a reference to its TOAST value: a list reads the JSON of the
      // rows on the page, whatever the plan sorted or rejected to find them.
      return true;
    }
  },

  MYSQL("mysql") {
    @Override
    String jsonParameter() {
      return "?";
    }

    @Override
    String upsertSuffix() {
      return " ON DUPLICATE KEY UPDATE name = VALUES(name), phase = VALUES(phase),"
          + " namespace = VALUES(namespace), workflow = VALUES(workflow),"
          + " startedat = VALUES(startedat), finishedat = VALUES(finishedat),"
          + " instanceid = VALUES(instanceid), creationtimestamp = VALUES(creationtimestamp)";
    }

    @Override
    String keysetCondition(String alias) {
      // MySQL/MariaDB range-optimize the expanded form, not row constructors.
      return "(" + alias + ".startedat < ? OR (" + alias + ".startedat = ? AND " + alias
          + ".uid < ?))";
    }

    @Override
    int keysetParameterCount() {
      return 3;
    }

    @Override
    String integerValue(String column) {
      return "CASE WHEN " + column + " REGEXP '^-?[0-9]{1,18}$' THEN CAST(" + column
          + " AS SIGNED) END";
    }

    @Override
    String jsonPath(String column, String... path) {
      return "JSON_EXTRACT(" + column + ", '$." + String.join(".", path) + "')";
    }

    @Override
    String connectionInitSql() {
      // UTC timestamps, and strict mode so that an oversized value is an error, never a silent
      // truncation; the explicit mode also rules out ANSI_QUOTES and friends changing our SQL.
      return "SET time_zone = '+00:00', sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_IN_DATE,"
          + "NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'";
    }

    @Override
    String schemaFunction() {
      return "database()";
    }

    @Override
    boolean readsPageInOnePass() {
      // InnoDB reads a row's off-page columns with the row, before the label conditions reject
      // it: the inner query selects keys only, and the page's rows are joined back.
      return false;
    }
  };

  private final String id;

  Dialect(String id) {
    this.id = id;
  }

  /** {@code postgresql} or {@code mysql}, as {@link MigrationResult#dialect()} reports it. */
  String id() {
    return id;
  }

  /** The placeholder for a JSON text parameter going into the {@code workflow} column. */
  abstract String jsonParameter();

  /** What turns a multi-row INSERT of workflows into an upsert keyed by (clustername, uid). */
  abstract String upsertSuffix();

  /** "Strictly after the cursor" in (startedat desc, uid desc) order. */
  abstract String keysetCondition(String alias);

  abstract int keysetParameterCount();

  /** The label value as an integer, or NULL when it is not one (never an error). */
  abstract String integerValue(String column);

  /** A JSON fragment of a JSON column, as JSON text; path elements are constants. */
  abstract String jsonPath(String column, String... path);

  abstract String connectionInitSql();

  /** The SQL function naming the schema (PostgreSQL) or database (MySQL) we work in. */
  abstract String schemaFunction();

  /**
   * Whether a list reads its page in one pass, the inner query carrying the JSON column to the
   * JSON fragments taken after its LIMIT; otherwise the inner query finds keys and the page's
   * rows are joined back (see {@link ListQueries#page}).
   */
  abstract boolean readsPageInOnePass();

  /** The dialect of a JDBC URL, failing with the (password-free) URL when it is neither. */
  static Dialect fromJdbcUrl(String jdbcUrl) {
    String lower = jdbcUrl.toLowerCase(Locale.ROOT);
    if (lower.startsWith("jdbc:postgresql:")) {
      return POSTGRESQL;
    }
    if (lower.startsWith("jdbc:mariadb:") || lower.startsWith("jdbc:mysql:")) {
      return MYSQL;
    }
    throw new IllegalArgumentException("--db must be a jdbc:postgresql:, jdbc:mariadb: or"
        + " jdbc:mysql: URL, got " + Redaction.url(jdbcUrl));
  }

  /** Whether retrying the whole transaction may succeed: deadlocks and serialization failures. */
  static boolean isRetryable(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        String state = s.getSQLState();
        if ("40001".equals(state) || "40P01".equals(state)) {
          return true;
        }
        // MySQL/MariaDB: 1213 deadlock, 1205 lock wait timeout (SQL state HY000 there).
        if (s.getErrorCode() == 1213 || s.getErrorCode() == 1205) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether the database refused a value on its own merits (data exception, integrity or check
   * constraint): the same row will fail again, and the other rows need not.
   */
  static boolean isRowRejection(SQLException e) {
    String state = e.getSQLState();
    if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
      return true;
    }
    // MySQL/MariaDB report some data errors with the generic state HY000: 1366 incorrect string
    // value, 3140 invalid JSON, 4025 CHECK constraint (MariaDB's json_valid).
    int code = e.getErrorCode();
    return "HY000".equals(state) && (code == 1366 || code == 3140 || code == 4025);
  }
}
