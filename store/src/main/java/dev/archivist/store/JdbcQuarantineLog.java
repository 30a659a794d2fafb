package dev.archivist.store;

import dev.archivist.core.Redaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import javax.sql.DataSource;

/**
 * {@link QuarantineLog} over JDBC, on the archive store's pool: table {@code archivist_quarantine}
 * (migration V10). Every call is one autocommit statement on a borrowed connection, so the class
 * has no mutable state and any thread may call it. Timestamps are written and read as UTC
 * {@code LocalDateTime}s, as the rest of the store does (the columns have no zone).
 */
final class JdbcQuarantineLog implements QuarantineLog {
  private static final String TABLE = ArchiveSchema.QUARANTINE;
  private static final String SCOPE = "clustername = ? AND instanceid = ?";
  /** What a second record of the same uid overwrites. */
  private static final List<String> UPDATED_COLUMNS = List.of("instanceid", "namespace", "name",
      "attempts", "last_error", "first_failed_at", "last_failed_at");
  private static final String COLUMNS = "clustername, instanceid, uid, namespace, name, attempts,"
      + " last_error, first_failed_at, last_failed_at";

  private final DataSource dataSource;
  private final Dialect dialect;
  private final String clusterName;
  private final String instanceId;
  private final int queryTimeoutSeconds;
  private final LongSupplier nanoTime;

  JdbcQuarantineLog(DataSource dataSource, Dialect dialect, String clusterName,
      String instanceId, int queryTimeoutSeconds, LongSupplier nanoTime) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.dialect = Objects.requireNonNull(dialect, "dialect");
    this.clusterName = Objects.requireNonNull(clusterName, "clusterName");
    this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
    this.queryTimeoutSeconds = queryTimeoutSeconds;
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
  }

  @Override
  public void record(QuarantineEntry e) {
    String sql = "INSERT INTO " + TABLE + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        + dialect.upsertSuffix(UPDATED_COLUMNS);
    long start = nanoTime.getAsLong();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setQueryTimeout(queryTimeoutSeconds);
      ps.setString(1, clusterName);
      ps.setString(2, instanceId);
      ps.setString(3, e.uid());
      ps.setString(4, e.namespace());
      ps.setString(5, e.name());
      ps.setInt(6, e.attempts());
      // PostgreSQL text cannot hold NUL; an error message is for people, so drop it.
      ps.setString(7, e.lastError().replace("\u0000", ""));
      ps.setObject(8, utc(e.firstFailedAt()));
      ps.setObject(9, utc(e.lastFailedAt()));
      ps.executeUpdate();
    } catch (SQLException ex) {
      throw failure("record " + e.namespace() + "/" + e.name() + " (uid " + e.uid() + ")", start,
          ex);
    }
  }

  @Override
  public boolean clear(String uid) {
    long start = nanoTime.getAsLong();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("DELETE FROM " + TABLE + " WHERE " + SCOPE
            + " AND uid = ?")) {
      ps.setQueryTimeout(queryTimeoutSeconds);
      ps.setString(1, clusterName);
      ps.setString(2, instanceId);
      ps.setString(3, uid);
      return ps.executeUpdate() > 0;
    } catch (SQLException ex) {
      throw failure("clear uid " + uid, start, ex);
    }
  }

  @Override
  public List<QuarantineEntry> list() {
    long start = nanoTime.getAsLong();
    List<QuarantineEntry> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT uid, namespace, name, attempts,"
            + " last_error, first_failed_at, last_failed_at FROM " + TABLE + " WHERE " + SCOPE
            + " ORDER BY first_failed_at, uid")) {
      ps.setQueryTimeout(queryTimeoutSeconds);
      ps.setString(1, clusterName);
      ps.setString(2, instanceId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new QuarantineEntry(rs.getString(1), rs.getString(2), rs.getString(3),
              rs.getInt(4), rs.getString(5), instant(rs, 6), instant(rs, 7)));
        }
      }
      return out;
    } catch (SQLException ex) {
      throw failure("list", start, ex);
    }
  }

  private static LocalDateTime utc(Instant i) {
    return LocalDateTime.ofInstant(i, ZoneOffset.UTC);
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    return rs.getObject(column, LocalDateTime.class).toInstant(ZoneOffset.UTC);
  }

  private ArchiveStoreException failure(String op, long startNanos, SQLException e) {
    return new ArchiveStoreException("archive store: quarantine log: " + op + " failed after "
        + (nanoTime.getAsLong() - startNanos) / 1_000_000 + " ms (SQL state " + e.getSQLState()
        + ", " + dialect.id() + ", table " + TABLE + "): "
        + Redaction.firstLine(e.getMessage()), e.getSQLState(), e);
  }
}
