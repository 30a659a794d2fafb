package dev.archivist.store;

import com.zaxxer.hikari.HikariConfig;
import dev.archivist.core.Redaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

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
    String upsertSuffix(List<String> columns) {
      StringJoiner set = new StringJoiner(", ", " ON CONFLICT (clustername, uid) DO UPDATE SET ",
          "");
      columns.forEach(c -> set.add(c + " = EXCLUDED." + c));
      return set.toString();
    }

    @Override
    String orderedUpsertSuffix(String table, List<String> columns, String order) {
      StringJoiner set = new StringJoiner(", ", " ON CONFLICT (clustername, uid) DO UPDATE SET ",
          "");
      columns.forEach(c -> set.add(c + " = EXCLUDED." + c));
      // A row the WHERE refuses is left as it is, locked, and not RETURNed.
      return set + " WHERE " + table + "." + order + " <= EXCLUDED." + order;
    }

    @Override
    String upsertReturning() {
      // A row the statement inserted has no xmax yet; one it updated carries the row lock that
      // ON CONFLICT DO UPDATE took, so a non-zero xmax. The idempotency tests pin this down.
      return " RETURNING uid, xmax::text";
    }

    @Override
    String storedJson(String json) {
      return PostgresNul.escape(json);
    }

    @Override
    String readJson(String stored) {
      return PostgresNul.unescape(stored);
    }

    @Override
    String transactionSetup(boolean lz4) {
      // See BatchWriter: the session's force_custom_plan would replan every label row's
      // foreign-key check.
      return "SET LOCAL plan_cache_mode = auto"
          + (lz4 ? "; SET LOCAL default_toast_compression = lz4" : "");
    }

    @Override
    boolean hasLz4(Connection c) throws SQLException {
      // PostgreSQL 14+ built with lz4 (as the Debian, Red Hat and official images are).
      try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_settings"
              + " WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)");
          ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }

    @Override
    Sql labelKeys(String labels) {
      // A loose index scan on labels_i1 (name, value), as PostgreSQL has no skip scan: one
      // index probe per distinct key instead of reading every label row.
      return new Sql().append("WITH RECURSIVE k AS (SELECT min(name) AS name FROM " + labels
          + " UNION ALL SELECT (SELECT min(name) FROM " + labels + " WHERE name > k.name)"
          + " FROM k WHERE k.name IS NOT NULL) SELECT name FROM k WHERE name IS NOT NULL");
    }

    @Override
    Sql labelValues(String labels, String key) {
      return new Sql().append("WITH RECURSIVE v AS (SELECT min(value) AS value FROM " + labels
          + " WHERE name = ?", key).append(" UNION ALL SELECT (SELECT min(value) FROM " + labels
          + " WHERE name = ? AND value > v.value) FROM v WHERE v.value IS NOT NULL)"
          + " SELECT value FROM v WHERE value IS NOT NULL", key);
    }

    @Override
    Sql namespaces(String workflows, String clusterName, String instanceId) {
      // No skip scan here either: walk i1 with one probe per namespace.
      String next = "SELECT min(namespace) FROM " + workflows
          + " WHERE clustername = ? AND instanceid = ?";
      return new Sql().append("WITH RECURSIVE n AS (SELECT (" + next + ") AS ns",
              clusterName, instanceId)
          .append(" UNION ALL SELECT (" + next + " AND namespace > n.ns) FROM n"
              + " WHERE n.ns IS NOT NULL) SELECT ns FROM n WHERE ns IS NOT NULL",
              clusterName, instanceId);
    }

    @Override
    String deleteFinishedBefore(String workflows, String scope) {
      return "DELETE FROM " + workflows + " WHERE (clustername, uid) IN (SELECT clustername, uid"
          + " FROM " + workflows + " WHERE " + scope + " AND finishedat < ? LIMIT ?)";
    }

    @Override
    boolean creationTimestampNullable() {
      return true;
    }

    @Override
    String indexNamesSql() {
      return "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()";
    }

    @Override
    void configureDriver(HikariConfig hc, Duration connectTimeout) {
      hc.addDataSourceProperty("connectTimeout",
          Long.toString(ArchiveStores.ceilSeconds(connectTimeout)));
      hc.addDataSourceProperty("ApplicationName", "archivist");
      hc.addDataSourceProperty("tcpKeepAlive", "true");
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
    String upsertSuffix(List<String> columns) {
      StringJoiner set = new StringJoiner(", ", " ON DUPLICATE KEY UPDATE ", "");
      columns.forEach(c -> set.add(c + " = VALUES(" + c + ")"));
      return set.toString();
    }

    @Override
    String orderedUpsertSuffix(String table, List<String> columns, String order) {
      // MySQL and MariaDB assign left to right, and a later assignment sees the earlier ones'
      // new values: the condition reads the ordering column, so that column is assigned last
      // (every earlier column sees its old value), and each column keeps its value when the
      // stored row is newer.
      if (!columns.get(columns.size() - 1).equals(order)) {
        throw new IllegalArgumentException("the ordering column " + order
            + " must be the last one assigned, got " + columns);
      }
      String newer = order + " <= VALUES(" + order + ")";
      StringJoiner set = new StringJoiner(", ", " ON DUPLICATE KEY UPDATE ", "");
      columns.forEach(c -> set.add(c + " = IF(" + newer + ", VALUES(" + c + "), " + c + ")"));
      return set.toString();
    }

    @Override
    String upsertReturning() {
      return null; // no RETURNING; an upsert cannot say which rows it updated
    }

    @Override
    String lockedReadBack(String table, String column, int rows) {
      // The primary key, forced: when the statistics say the table is empty (new, or just
      // purged) the optimizer walks the (clustername, instanceid, finishedat) index for the one
      // cluster name, and a locking read locks every row and gap it passes, deadlocking with
      // concurrent batches' inserts. By the key, it locks the rows the upsert already holds.
      return "SELECT uid, " + column + " FROM " + table + " FORCE INDEX (PRIMARY)"
          + " WHERE clustername = ? AND uid IN (" + Sql.placeholders(rows) + ") FOR UPDATE";
    }

    @Override
    String precheck(WorkflowDocument d, String json, long jsonBytes, long serverStatementLimit) {
      // Text protocol: the JSON travels as a quoted literal, so quotes and backslashes double.
      long wire = jsonBytes + countEscapes(json) + 4096;
      if (wire > serverStatementLimit) {
        return "workflow JSON is " + jsonBytes + " bytes, too large for the server's"
            + " max_allowed_packet of " + serverStatementLimit + " bytes";
      }
      for (Instant t : new Instant[] {d.startedAt(), d.finishedAt(), d.creationTimestamp()}) {
        if (t.isBefore(MYSQL_MIN_TIME) || t.isAfter(MYSQL_MAX_TIME)) {
          return "timestamp " + t + " is outside MySQL's TIMESTAMP range (" + MYSQL_MIN_TIME
              + " to " + MYSQL_MAX_TIME + ")";
        }
      }
      return null;
    }

    @Override
    long statementLimit(Connection c) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement("SELECT @@max_allowed_packet");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }

    @Override
    Sql labelKeys(String labels) {
      return new Sql().append("SELECT DISTINCT name FROM " + labels);
    }

    @Override
    Sql labelValues(String labels, String key) {
      return new Sql().append("SELECT DISTINCT value FROM " + labels + " WHERE name = ?", key);
    }

    @Override
    Sql namespaces(String workflows, String clusterName, String instanceId) {
      // MariaDB and MySQL read i1 with a loose index scan for this DISTINCT themselves.
      return new Sql().append("SELECT DISTINCT namespace FROM " + workflows
          + " WHERE clustername = ? AND instanceid = ?", clusterName, instanceId);
    }

    @Override
    String deleteFinishedBefore(String workflows, String scope) {
      return "DELETE FROM " + workflows + " WHERE " + scope + " AND finishedat < ?"
          + " ORDER BY finishedat LIMIT ?";
    }

    @Override
    boolean creationTimestampNullable() {
      return false;
    }

    @Override
    String indexNamesSql() {
      return "SELECT DISTINCT index_name FROM information_schema.statistics"
          + " WHERE table_schema = database()";
    }

    @Override
    void configureDriver(HikariConfig hc, Duration connectTimeout) {
      hc.addDataSourceProperty("connectTimeout",
          Long.toString(Math.max(250, connectTimeout.toMillis())));
    }

    @Override
    String driverUrl(String url) {
      // The MariaDB driver (the one we ship) accepts jdbc:mysql: only when asked to.
      if (url.regionMatches(true, 0, "jdbc:mysql:", 0, 11)
          && !url.contains("permitMysqlScheme")) {
        return url + (url.indexOf('?') < 0 ? "?" : "&") + "permitMysqlScheme";
      }
      return url;
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

  /** MySQL/MariaDB TIMESTAMP range. */
  static final Instant MYSQL_MIN_TIME = Instant.parse("1970-01-01T00:00:01Z");
  static final Instant MYSQL_MAX_TIME = Instant.parse("2038-01-19T03:14:07Z");

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

  /**
   * What turns a multi-row INSERT into an upsert keyed by (clustername, uid) that overwrites
   * {@code columns} of a row that exists.
   */
  abstract String upsertSuffix(List<String> columns);

  /**
   * What turns a multi-row INSERT into {@code table} into an upsert keyed by (clustername, uid)
   * that overwrites {@code columns} of a row that exists, unless the row's {@code order} column
   * is greater than the new row's: then the row is left as it is. {@code order} must be the last
   * of {@code columns}.
   */
  abstract String orderedUpsertSuffix(String table, List<String> columns, String order);

  /**
   * A clause that makes an upsert return, for each row, its uid and {@code "0"} when it was
   * inserted rather than updated; null where the dialect cannot tell.
   */
  abstract String upsertReturning();

  /**
   * Where {@link #upsertReturning()} is null: a locking read of {@code column} of {@code rows}
   * rows of {@code table} by key, taking the cluster name and then the uids as parameters.
   */
  String lockedReadBack(String table, String column, int rows) {
    throw new UnsupportedOperationException(id + " reports rows from the upsert itself");
  }

  /** The JSON text as the {@code workflow} column stores it. */
  String storedJson(String json) {
    return json;
  }

  /** The JSON text of a stored {@code workflow} column, as it was given to {@link #storedJson}. */
  String readJson(String stored) {
    return stored;
  }

  /** Run at the start of every write transaction, or null. */
  String transactionSetup(boolean lz4) {
    return null;
  }

  /**
   * Why this server would refuse a row that fits Argo's columns (a limit of its own), found
   * without asking it; null when it looks fine.
   */
  String precheck(WorkflowDocument d, String json, long jsonBytes, long serverStatementLimit) {
    return null;
  }

  /** The largest statement the server takes (MySQL's max_allowed_packet). */
  long statementLimit(Connection c) throws SQLException {
    return Long.MAX_VALUE;
  }

  /** Whether the server can compress TOAST values with lz4. */
  boolean hasLz4(Connection c) throws SQLException {
    return false;
  }

  /** The distinct label keys of table {@code labels}. */
  abstract Sql labelKeys(String labels);

  /** The distinct values of label {@code key} in table {@code labels}. */
  abstract Sql labelValues(String labels, String key);

  /**
   * The distinct namespaces of {@code workflows} in one (clustername, instanceid) scope, by
   * index {@code i1} (clustername, instanceid, namespace, ...).
   */
  abstract Sql namespaces(String workflows, String clusterName, String instanceId);

  /**
   * A DELETE of at most {@code ?} rows of {@code workflows} within {@code scope} that finished
   * before {@code ?}; the parameters are the scope's, then the cutoff, then the limit.
   */
  abstract String deleteFinishedBefore(String workflows, String scope);

  /** Whether Argo's {@code creationtimestamp} column is nullable in this dialect. */
  abstract boolean creationTimestampNullable();

  /** The names of the indexes in the schema (or database) we work in. */
  abstract String indexNamesSql();

  /** The driver's own connection properties. */
  abstract void configureDriver(HikariConfig hc, Duration connectTimeout);

  /** The URL as the driver must be given it. */
  String driverUrl(String url) {
    return url;
  }

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

  private static long countEscapes(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '\\' || ch == '\'' || ch == '"' || ch == 0) {
        n++;
      }
    }
    return n;
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
