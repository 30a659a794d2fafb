package dev.archivist.store;

import dev.archivist.core.Redaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes a batch of workflows in one transaction: a multi-row upsert of the workflow rows keyed by
 * (clustername, uid), then the labels of those rows replaced (old labels deleted, new ones
 * inserted in one multi-row INSERT), all in uid order so that concurrent overlapping batches take
 * row locks in the same order.
 *
 * <p>On PostgreSQL the upsert reports which rows it updated rather than inserted, and only those
 * rows' old labels are deleted: a row that did not exist has no labels (the foreign key cascades),
 * so the common case, a workflow archived once, costs no DELETE at all. The write transaction
 * also sets {@code plan_cache_mode = auto} locally: the session default ({@code
 * force_custom_plan}, for reads; see {@link Dialect#connectionInitSql()}) would otherwise replan
 * the foreign-key check of every label row. Where the server has lz4, it sets {@code
 * default_toast_compression = lz4} locally too.
 *
 * <p>A row never goes back in time: when the archive holds a later completion of a workflow
 * (same uid, a later {@code finishedat}, as after {@code argo retry}), an older snapshot leaves
 * the row and its labels alone and is reported {@link BatchResult.Superseded}. The database
 * decides, under the row lock the upsert takes, so two writers that overlap (a leader whose lease
 * ran out, writing late) cannot undo each other whatever the order of their commits. On
 * PostgreSQL the upsert's {@code WHERE} refuses the update and the row is missing from what it
 * returns; on MySQL each assignment is conditional, and the rows left alone are found by reading
 * back the ordering column of the rows the upsert has just locked (one short query per batch).
 *
 * <p>Failure handling, from cheapest to dearest:
 * <ol>
 *   <li>Values that cannot fit Argo's columns are rejected before any SQL, with a reason.</li>
 *   <li>If the database still refuses a value (a data or constraint error), the batch goes back
 *       to a savepoint and is written row by row, each under its own savepoint; the rows it
 *       refuses are {@link BatchResult.Rejected} and the rest commit.</li>
 *   <li>A deadlock or serialization failure rolls the transaction back and retries it, up to
 *       {@value #MAX_ATTEMPTS} attempts.</li>
 *   <li>Anything else (connection lost, timeout) is thrown for the caller to translate.</li>
 * </ol>
 *
 * <p>Stateless apart from configuration; one instance serves every thread, each with its own
 * connection.
 */
final class BatchWriter {
  static final int MAX_ATTEMPTS = 5;
  /** Upper bounds of one multi-row statement; PostgreSQL allows at most 32767 parameters. */
  static final int MAX_ROWS_PER_STATEMENT = 500;
  static final int MAX_LABEL_ROWS_PER_STATEMENT = 2000;
  static final long MAX_STATEMENT_BYTES = 8L << 20;


  private static final String UPSERT_PREFIX = "INSERT INTO " + ArchiveSchema.WORKFLOWS
      + " (clustername, uid, name, phase, namespace, workflow, startedat, finishedat, instanceid,"
      + " creationtimestamp) VALUES ";
  /**
   * What orders two snapshots of one workflow: a later {@code status.finishedAt} is a later
   * completion ({@code argo retry} runs a workflow again under the same uid). Equal ones are the
   * same completion, and the newer write replaces the row, as an idempotent upsert does.
   */
  private static final String ORDER_COLUMN = "finishedat";
  /**
   * What archiving a workflow again overwrites: every column but the key, the ordering column
   * last (see {@link Dialect#orderedUpsertSuffix}).
   */
  private static final List<String> UPDATED_COLUMNS = List.of("name", "phase", "namespace",
      "workflow", "startedat", "instanceid", "creationtimestamp", ORDER_COLUMN);
  private static final String LABELS_INSERT_PREFIX = "INSERT INTO " + ArchiveSchema.LABELS
      + " (clustername, uid, name, value) VALUES ";

  private final Dialect dialect;
  private final String clusterName;
  private final String instanceId;
  private final int queryTimeoutSeconds;
  /** The largest statement the server takes (MySQL's max_allowed_packet), or Long.MAX_VALUE. */
  private final long serverStatementLimit;

  /** Run at the start of every write transaction (PostgreSQL), or null. */
  private final String transactionSetup;

  /**
   * @param lz4 whether the PostgreSQL server can compress TOAST values with lz4; the workflow
   *     JSON is then stored lz4-compressed, which costs a fraction of the CPU of the default
   *     pglz to write and to read back (the column's type and storage are unchanged)
   */
  BatchWriter(Dialect dialect, String clusterName, String instanceId, int queryTimeoutSeconds,
      long serverStatementLimit, boolean lz4) {
    this.transactionSetup = dialect.transactionSetup(lz4);
    this.dialect = dialect;
    this.clusterName = clusterName;
    this.instanceId = instanceId;
    this.queryTimeoutSeconds = queryTimeoutSeconds;
    this.serverStatementLimit = serverStatementLimit;
  }

  /** A row ready to write: the document and the JSON as this dialect stores it. */
  private record Row(WorkflowDocument doc, String json, long bytes) {}

  /**
   * Writes {@code batch} on {@code c} (autocommit off), committing before it returns.
   *
   * @throws SQLException when the batch as a whole failed (after retries); the transaction is
   *     rolled back
   */
  BatchResult write(Connection c, List<WorkflowDocument> batch) throws SQLException {
    Map<String, BatchResult.RowOutcome> outcomes = new HashMap<>();
    // For a uid given twice, the later completion wins, else the last one; TreeMap gives the
    // uid order that prevents deadlocks.
    TreeMap<String, WorkflowDocument> byUid = new TreeMap<>();
    for (WorkflowDocument d : batch) {
      byUid.merge(d.uid(), d, (had, given) ->
          had.finishedAt().isAfter(given.finishedAt()) ? had : given);
    }
    List<Row> rows = new ArrayList<>(byUid.size());
    for (WorkflowDocument d : byUid.values()) {
      String json = dialect.storedJson(d.json());
      long bytes = utf8Length(json);
      String reason = precheck(d, json, bytes);
      if (reason != null) {
        outcomes.put(d.uid(), new BatchResult.Rejected(d.uid(), reason, null));
      } else {
        rows.add(new Row(d, json, bytes));
      }
    }
    if (!rows.isEmpty()) {
      writeWithRetries(c, rows, outcomes);
    }
    List<BatchResult.RowOutcome> ordered = new ArrayList<>(batch.size());
    for (WorkflowDocument d : batch) {
      ordered.add(outcomes.get(d.uid()));
    }
    return new BatchResult(ordered);
  }

  private void writeWithRetries(Connection c, List<Row> rows,
      Map<String, BatchResult.RowOutcome> outcomes) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      Map<String, BatchResult.RowOutcome> attemptOutcomes = new HashMap<>();
      try {
        writeTransaction(c, rows, attemptOutcomes);
        c.commit();
        outcomes.putAll(attemptOutcomes);
        return;
      } catch (SQLException e) {
        rollbackQuietly(c, e);
        if (!Dialect.isRetryable(e) || attempt >= MAX_ATTEMPTS) {
          throw e;
        }
        // Deadlock or serialization failure: our locks are gone, so the other transaction can
        // finish; try again at once.
      }
    }
  }

  private void writeTransaction(Connection c, List<Row> rows,
      Map<String, BatchResult.RowOutcome> outcomes) throws SQLException {
    if (transactionSetup != null) {
      try (Statement st = c.createStatement()) {
        st.execute(transactionSetup);
      }
    }
    Savepoint whole = rows.size() > 1 ? c.setSavepoint() : null;
    try {
      Set<String> superseded = writeRows(c, rows);
      for (Row r : rows) {
        outcomes.put(r.doc().uid(), outcome(r, superseded));
      }
      return;
    } catch (SQLException e) {
      if (!Dialect.isRowRejection(e)) {
        throw e;
      }
      if (whole == null) {
        Row only = rows.get(0);
        c.rollback();
        outcomes.put(only.doc().uid(), rejected(only, e));
        return;
      }
      c.rollback(whole);
    }
    // Some row was refused: find which, one savepoint per row.
    for (Row r : rows) {
      Savepoint one = c.setSavepoint();
      try {
        Set<String> superseded = writeRows(c, List.of(r));
        c.releaseSavepoint(one);
        outcomes.put(r.doc().uid(), outcome(r, superseded));
      } catch (SQLException e) {
        if (!Dialect.isRowRejection(e)) {
          throw e;
        }
        c.rollback(one);
        outcomes.put(r.doc().uid(), rejected(r, e));
      }
    }
  }

  private static BatchResult.RowOutcome outcome(Row r, Set<String> superseded) {
    String uid = r.doc().uid();
    return superseded.contains(uid) ? new BatchResult.Superseded(uid)
        : new BatchResult.Written(uid);
  }

  private static BatchResult.Rejected rejected(Row r, SQLException e) {
    return new BatchResult.Rejected(r.doc().uid(), "the database refused the row: "
        + Redaction.firstLine(e.getMessage()), e.getSQLState());
  }

  /**
   * Upserts {@code rows} and replaces the labels of those written.
   *
   * @return the uids of the rows left as they were, because the archive holds a later
   *     completion of the workflow
   */
  private Set<String> writeRows(Connection c, List<Row> rows) throws SQLException {
    Set<String> updated = dialect.upsertReturning() != null ? new HashSet<>() : null;
    Set<String> returned = updated != null ? new HashSet<>() : null;
    long budget = Math.min(MAX_STATEMENT_BYTES, serverStatementLimit / 2);
    int start = 0;
    while (start < rows.size()) {
      int end = start;
      long bytes = 0;
      while (end < rows.size() && end - start < MAX_ROWS_PER_STATEMENT
          && (end == start || bytes + rows.get(end).bytes() <= budget)) {
        bytes += rows.get(end).bytes();
        end++;
      }
      upsert(c, rows.subList(start, end), returned, updated);
      start = end;
    }
    Set<String> superseded = new HashSet<>();
    if (returned != null) {
      for (Row r : rows) {
        if (!returned.contains(r.doc().uid())) {
          superseded.add(r.doc().uid());
        }
      }
    } else {
      findSuperseded(c, rows, superseded);
    }
    List<Row> written = rows;
    if (!superseded.isEmpty()) {
      written = new ArrayList<>(rows.size());
      for (Row r : rows) {
        if (!superseded.contains(r.doc().uid())) {
          written.add(r);
        }
      }
    }
    replaceLabels(c, written, updated);
    return superseded;
  }

  /**
   * MySQL/MariaDB, whose upsert cannot say which rows it left alone: reads back the ordering
   * column of {@code rows}, which the upsert has locked, and adds to {@code superseded} the uids
   * whose stored completion is later than the row's. The column may have rounded the row's
   * value (MySQL) or truncated it (MariaDB), so a stored value counts as later only past the
   * row's next whole second; Kubernetes timestamps are whole seconds.
   */
  private void findSuperseded(Connection c, List<Row> rows, Set<String> superseded)
      throws SQLException {
    Map<String, Instant> ours = new HashMap<>();
    rows.forEach(r -> ours.put(r.doc().uid(), r.doc().finishedAt()));
    for (int start = 0; start < rows.size(); start += MAX_ROWS_PER_STATEMENT) {
      List<Row> chunk = rows.subList(start, Math.min(rows.size(), start + MAX_ROWS_PER_STATEMENT));
      try (PreparedStatement ps = c.prepareStatement(
          dialect.lockedReadBack(ArchiveSchema.WORKFLOWS, ORDER_COLUMN, chunk.size()))) {
        ps.setQueryTimeout(queryTimeoutSeconds);
        ps.setString(1, clusterName);
        for (int i = 0; i < chunk.size(); i++) {
          ps.setString(i + 2, chunk.get(i).doc().uid());
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String uid = rs.getString(1);
            Instant stored = rs.getObject(2, LocalDateTime.class).toInstant(ZoneOffset.UTC);
            Instant given = ours.get(uid);
            Instant ceiling = given.truncatedTo(ChronoUnit.SECONDS);
            if (ceiling.isBefore(given)) {
              ceiling = ceiling.plusSeconds(1);
            }
            if (stored.isAfter(ceiling)) {
              superseded.add(uid);
            }
          }
        }
      }
    }
  }

  /**
   * Upserts {@code rows}, leaving alone a stored row of a later completion. On PostgreSQL, adds
   * to {@code returned} the uids of the rows it wrote and to {@code updated} those of rows that
   * existed (the statement updated rather than inserted them); on MySQL it cannot tell, and both
   * are null.
   */
  private void upsert(Connection c, List<Row> rows, Set<String> returned, Set<String> updated)
      throws SQLException {
    String values = "(?, ?, ?, ?, ?, " + dialect.jsonParameter() + ", ?, ?, ?, ?)";
    StringBuilder sql = new StringBuilder(UPSERT_PREFIX.length() + rows.size() * 40 + 400);
    sql.append(UPSERT_PREFIX);
    for (int i = 0; i < rows.size(); i++) {
      sql.append(i == 0 ? values : ", " + values);
    }
    sql.append(dialect.orderedUpsertSuffix(ArchiveSchema.WORKFLOWS, UPDATED_COLUMNS,
        ORDER_COLUMN));
    if (updated != null) {
      sql.append(dialect.upsertReturning());
    }
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      ps.setQueryTimeout(queryTimeoutSeconds);
      int p = 1;
      for (Row r : rows) {
        WorkflowDocument d = r.doc();
        ps.setString(p++, clusterName);
        ps.setString(p++, d.uid());
        ps.setString(p++, d.name());
        ps.setString(p++, d.phase());
        ps.setString(p++, d.namespace());
        ps.setString(p++, r.json());
        Sql.bind(ps, p++, d.startedAt());
        Sql.bind(ps, p++, d.finishedAt());
        ps.setString(p++, instanceId);
        Sql.bind(ps, p++, d.creationTimestamp());
      }
      if (updated == null) {
        ps.executeUpdate();
        return;
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          returned.add(rs.getString(1));
          if (!"0".equals(rs.getString(2))) {
            updated.add(rs.getString(1));
          }
        }
      }
    }
  }

  private void replaceLabels(Connection c, List<Row> rows, Set<String> updated)
      throws SQLException {
    if (updated != null) {
      deleteLabelsOneByOne(c, rows, updated);
    } else {
      deleteLabelsInChunks(c, rows);
    }
    insertLabels(c, rows);
  }

  /**
   * PostgreSQL: one DELETE per updated row, sent as one JDBC batch. An equality on the key
   * prefix keeps an index scan whatever the statistics say; an IN list can be planned as a scan
   * of every label row when the table has grown since its last ANALYZE.
   */
  private void deleteLabelsOneByOne(Connection c, List<Row> rows, Set<String> updated)
      throws SQLException {
    if (updated.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + ArchiveSchema.LABELS
        + " WHERE clustername = ? AND uid = ?")) {
      ps.setQueryTimeout(queryTimeoutSeconds);
      for (Row r : rows) {
        if (updated.contains(r.doc().uid())) {
          ps.setString(1, clusterName);
          ps.setString(2, r.doc().uid());
          ps.addBatch();
        }
      }
      ps.executeBatch();
    }
  }

  /** MySQL/MariaDB: the labels of every row, chunks of uids at a time (range access on the key). */
  private void deleteLabelsInChunks(Connection c, List<Row> rows) throws SQLException {
    for (int start = 0; start < rows.size(); start += MAX_ROWS_PER_STATEMENT) {
      List<Row> chunk = rows.subList(start, Math.min(rows.size(), start + MAX_ROWS_PER_STATEMENT));
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + ArchiveSchema.LABELS
          + " WHERE clustername = ? AND uid IN (" + Sql.placeholders(chunk.size()) + ")")) {
        ps.setQueryTimeout(queryTimeoutSeconds);
        ps.setString(1, clusterName);
        for (int i = 0; i < chunk.size(); i++) {
          ps.setString(i + 2, chunk.get(i).doc().uid());
        }
        ps.executeUpdate();
      }
    }
  }

  private void insertLabels(Connection c, List<Row> rows) throws SQLException {
    List<String[]> labels = new ArrayList<>();
    for (Row r : rows) {
      // Sorted by name within a uid, like the primary key, so lock order is the key order.
      new TreeMap<>(r.doc().labels()).forEach((k, v) -> labels.add(
          new String[] {r.doc().uid(), k, v}));
    }
    for (int start = 0; start < labels.size(); start += MAX_LABEL_ROWS_PER_STATEMENT) {
      List<String[]> chunk = labels.subList(start,
          Math.min(labels.size(), start + MAX_LABEL_ROWS_PER_STATEMENT));
      StringBuilder sql = new StringBuilder(LABELS_INSERT_PREFIX);
      for (int i = 0; i < chunk.size(); i++) {
        sql.append(i == 0 ? "(?, ?, ?, ?)" : ", (?, ?, ?, ?)");
      }
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        ps.setQueryTimeout(queryTimeoutSeconds);
        int p = 1;
        for (String[] l : chunk) {
          ps.setString(p++, clusterName);
          ps.setString(p++, l[0]);
          ps.setString(p++, l[1]);
          ps.setString(p++, l[2]);
        }
        ps.executeUpdate();
      }
    }
  }

  /** Why a row cannot be stored, found without asking the database; null when it looks fine. */
  String precheck(WorkflowDocument d, String json, long jsonBytes) {
    String tooLong = firstTooLong(d);
    if (tooLong != null) {
      return tooLong;
    }
    return dialect.precheck(d, json, jsonBytes, serverStatementLimit);
  }

  private static String firstTooLong(WorkflowDocument d) {
    String r = tooLong("metadata.uid", d.uid(), ArchiveSchema.UID_LENGTH);
    if (r == null) {
      r = tooLong("metadata.name", d.name(), ArchiveSchema.NAME_LENGTH);
    }
    if (r == null) {
      r = tooLong("metadata.namespace", d.namespace(), ArchiveSchema.NAMESPACE_LENGTH);
    }
    if (r == null) {
      r = tooLong("status.phase", d.phase(), ArchiveSchema.PHASE_LENGTH);
    }
    if (r == null) {
      for (Map.Entry<String, String> e : d.labels().entrySet()) {
        r = tooLong("label key", e.getKey(), ArchiveSchema.LABEL_KEY_LENGTH);
        if (r == null) {
          r = tooLong("value of label " + e.getKey(), e.getValue(),
              ArchiveSchema.LABEL_VALUE_LENGTH);
        }
        if (r != null) {
          break;
        }
      }
    }
    return r;
  }

  private static String tooLong(String what, String value, int max) {
    int n = value.codePointCount(0, value.length());
    return n <= max ? null
        : what + " is " + n + " characters, longer than Argo's column allows (" + max + ")";
  }

  static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch < 0x80) {
        n++;
      } else if (ch < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(ch)) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  private static void rollbackQuietly(Connection c, SQLException cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }
}
