package dev.archivist.store;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.archivist.core.Redaction;
import dev.archivist.core.WorkflowLabels;
import dev.archivist.store.argo.ArgoNodesConfig;
import dev.archivist.store.argo.NodeRestorer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.LongSupplier;
import org.flywaydb.core.api.FlywayException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The archive over JDBC. Every public method borrows a connection from the pool and returns it
 * before returning, so the store has no mutable state of its own and any thread may call it;
 * {@link #writer} is computed once (a benign race: every thread computes the same value).
 *
 * <p>Every {@link SQLException} is translated here, at the boundary, into an
 * {@link ArchiveStoreException} carrying the operation, the elapsed time, the SQL state and the
 * pool's counts, and never the password.
 */
final class JdbcArchiveStore implements ArchiveStore {
  private static final String WORKFLOWS = ArchiveSchema.WORKFLOWS;
  private static final String LABELS = ArchiveSchema.LABELS;
  private static final String SCOPE = "clustername = ? AND instanceid = ?";

  private final HikariDataSource dataSource;
  private final Dialect dialect;
  private final StoreConfig config;
  private final LongSupplier nanoTime;
  private final int queryTimeoutSeconds;
  private volatile BatchWriter writer;

  JdbcArchiveStore(HikariDataSource dataSource, Dialect dialect, StoreConfig config,
      LongSupplier nanoTime) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.config = config;
    this.nanoTime = nanoTime;
    this.queryTimeoutSeconds = ArchiveStores.ceilSeconds(config.statementTimeout());
  }

  @Override
  public String dialect() {
    return dialect.id();
  }

  @Override
  public MigrationResult migrate() {
    long start = nanoTime.getAsLong();
    try {
      return new SchemaMigrator(dataSource, dialect).migrate();
    } catch (SQLException e) {
      throw failure("migrate", start, e);
    } catch (FlywayException e) {
      throw new ArchiveStoreException("archive store: migrate failed after " + elapsedMs(start)
          + " ms (" + poolState() + ", db " + Redaction.url(config.jdbcUrl()) + "): "
          + flywayMessage(e), null, e);
    }
  }

  /**
   * Flyway's message without its advice, which names commands of Flyway's own CLI: the first line
   * and, when validation failed, which migration differs and how ("Migration checksum mismatch
   * for migration version 10 -> Applied to database : 1 -> Resolved locally : 2").
   */
  static String flywayMessage(FlywayException e) {
    String message = e.getMessage();
    if (message == null) {
      return Redaction.firstLine(null);
    }
    String[] lines = message.split("\\R");
    StringJoiner details = new StringJoiner(" ");
    for (int i = 1; i < lines.length; i++) {
      String l = lines[i].strip();
      if (l.startsWith("Migration") || l.startsWith("Detected") || l.startsWith("->")) {
        details.add(l.replaceAll("\\s+", " "));
      }
    }
    String out = lines[0] + (details.length() == 0 ? "" : ": " + details);
    return out.length() > 600 ? out.substring(0, 600) + "..." : out;
  }

  @Override
  public BatchResult archive(List<WorkflowDocument> batch) {
    if (batch.isEmpty()) {
      return new BatchResult(List.of());
    }
    long start = nanoTime.getAsLong();
    try (Connection c = dataSource.getConnection()) {
      BatchWriter w = writer(c);
      c.setAutoCommit(false);
      return w.write(c, batch);
    } catch (SQLException e) {
      throw failure("archive of " + batch.size() + " workflows", start, e);
    }
  }

  private BatchWriter writer(Connection c) throws SQLException {
    BatchWriter w = writer;
    if (w == null) {
      w = new BatchWriter(dialect, config.clusterName(), config.instanceId(),
          queryTimeoutSeconds, dialect.statementLimit(c), dialect.hasLz4(c));
      writer = w;
    }
    return w;
  }

  @Override
  public Page list(ListQuery query) {
    int limit = query.limit() <= 0 ? ListQuery.DEFAULT_LIMIT
        : Math.min(query.limit(), ListQuery.MAX_LIMIT);
    ContinueToken token = ContinueToken.parse(query.continueToken());
    Sql sql = ListQueries.page(dialect, config.clusterName(), config.instanceId(), query, token,
        limit + 1);
    long start = nanoTime.getAsLong();
    List<ObjectNode> items = new ArrayList<>(limit + 1);
    Instant lastStarted = null;
    String lastUid = null;
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = prepare(c, sql)) {
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (items.size() == limit) {
            // The extra row only says that there is a next page.
            String next = token instanceof ContinueToken.Offset o
                ? Integer.toString(o.offset() + limit)
                : ContinueToken.keyset(lastStarted, lastUid);
            return new Page(items, next);
          }
          items.add(PartialWorkflows.fromRow(rs));
          lastStarted = PartialWorkflows.instant(rs, 5);
          lastUid = rs.getString(1);
        }
      }
      return new Page(items, null);
    } catch (SQLException e) {
      throw failure("list", start, e);
    }
  }

  @Override
  public Optional<ObjectNode> get(String uid) {
    return one("get " + uid, "SELECT workflow FROM " + WORKFLOWS + " WHERE " + SCOPE
        + " AND uid = ?", config.clusterName(), config.instanceId(), uid);
  }

  @Override
  public Optional<ObjectNode> getLatest(String namespace, String name) {
    return one("get latest " + namespace + "/" + name, "SELECT workflow FROM " + WORKFLOWS
        + " WHERE " + SCOPE + " AND namespace = ? AND name = ?"
        + " ORDER BY startedat DESC, uid DESC LIMIT 1",
        config.clusterName(), config.instanceId(), namespace, name);
  }

  private Optional<ObjectNode> one(String op, String sql, Object... params) {
    long start = nanoTime.getAsLong();
    String json;
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = prepare(c, sql, params);
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        return Optional.empty();
      }
      json = rs.getString(1);
    } catch (SQLException e) {
      throw failure(op, start, e);
    }
    json = dialect.readJson(json);
    JsonNode node;
    try {
      node = WorkflowDocuments.JSON.readTree(json);
    } catch (JacksonException e) {
      throw new ArchiveStoreException("archive store: " + op + ": the stored workflow is not"
          + " valid JSON: " + Redaction.firstLine(e.getOriginalMessage()), null, e);
    }
    if (!(node instanceof ObjectNode workflow)) {
      throw new ArchiveStoreException("archive store: " + op + ": the stored workflow is a "
          + node.getNodeType() + ", not an object", null, null);
    }
    // As Argo does for rows of any age: a copy read back from the archive is Persisted.
    JsonNode metadata = workflow.get("metadata");
    if (metadata instanceof ObjectNode m) {
      JsonNode labels = m.get("labels");
      ObjectNode l = labels instanceof ObjectNode o ? o : m.putObject("labels");
      l.put(WorkflowLabels.ARCHIVING_STATUS, WorkflowLabels.STATUS_PERSISTED);
    }
    return Optional.of(workflow);
  }

  @Override
  public boolean exists(String uid) {
    long start = nanoTime.getAsLong();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = prepare(c, "SELECT 1 FROM " + WORKFLOWS + " WHERE " + SCOPE
            + " AND uid = ?", config.clusterName(), config.instanceId(), uid);
        ResultSet rs = ps.executeQuery()) {
      return rs.next();
    } catch (SQLException e) {
      throw failure("exists " + uid, start, e);
    }
  }

  @Override
  public boolean delete(String uid) {
    long start = nanoTime.getAsLong();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = prepare(c, "DELETE FROM " + WORKFLOWS + " WHERE " + SCOPE
            + " AND uid = ?", config.clusterName(), config.instanceId(), uid)) {
      return ps.executeUpdate() > 0; // the labels go with it: ON DELETE CASCADE
    } catch (SQLException e) {
      throw failure("delete " + uid, start, e);
    }
  }

  @Override
  public List<String> labelKeys() {
    return strings("label keys", dialect.labelKeys(LABELS));
  }

  @Override
  public List<String> labelValues(String key) {
    return strings("label values of " + key, dialect.labelValues(LABELS, key));
  }

  @Override
  public List<String> labelKeys(Set<String> namespaces) {
    Sql sql = new Sql().append("SELECT DISTINCT l.name FROM " + LABELS + " l JOIN " + WORKFLOWS
        + " w ON w.clustername = l.clustername AND w.uid = l.uid WHERE w.clustername = ? AND"
        + " w.instanceid = ?", config.clusterName(), config.instanceId());
    ListQueries.inNamespaces(sql, "w", namespaces);
    return strings("label keys in " + namespaces.size() + " namespace(s)", sql);
  }

  @Override
  public List<String> labelValues(String key, Set<String> namespaces) {
    Sql sql = new Sql().append("SELECT DISTINCT l.value FROM " + LABELS + " l JOIN " + WORKFLOWS
        + " w ON w.clustername = l.clustername AND w.uid = l.uid WHERE l.name = ? AND"
        + " w.clustername = ? AND w.instanceid = ?", key, config.clusterName(),
        config.instanceId());
    ListQueries.inNamespaces(sql, "w", namespaces);
    return strings("label values of " + key + " in " + namespaces.size() + " namespace(s)", sql);
  }

  @Override
  public List<String> namespaces() {
    return strings("namespaces", dialect.namespaces(WORKFLOWS, config.clusterName(),
        config.instanceId()));
  }

  private List<String> strings(String op, Sql sql) {
    long start = nanoTime.getAsLong();
    List<String> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = prepare(c, sql);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    } catch (SQLException e) {
      throw failure(op, start, e);
    }
    Collections.sort(out);
    return out;
  }

  @Override
  public long deleteFinishedBefore(Instant cutoff, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
    }
    String sql = dialect.deleteFinishedBefore(WORKFLOWS, SCOPE);
    long start = nanoTime.getAsLong();
    long total = 0;
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = prepare(c, sql, config.clusterName(), config.instanceId(),
            cutoff, batchSize)) {
      // Autocommit: each bounded batch is its own short transaction, so retention never holds
      // locks on the whole archive.
      while (true) {
        int n = ps.executeUpdate();
        total += n;
        if (n < batchSize) {
          return total;
        }
      }
    } catch (SQLException e) {
      throw failure("delete finished before " + cutoff + " (deleted " + total + " so far)",
          start, e);
    }
  }

  @Override
  public QuarantineLog quarantine() {
    return new JdbcQuarantineLog(dataSource, dialect, config.clusterName(),
        config.instanceId(), queryTimeoutSeconds, nanoTime);
  }

  @Override
  public NodeRestorer nodeRestorer(ArgoNodesConfig argo) {
    return NodeRestorer.over(new JdbcOffloadedNodes(dataSource, argo.offloadTable(),
        config.clusterName(), queryTimeoutSeconds, nanoTime, this::failure), argo.maxNodesBytes());
  }

  @Override
  public boolean isReachable(Duration timeout) {
    try (Connection c = dataSource.getConnection()) {
      return c.isValid(ArchiveStores.ceilSeconds(timeout));
    } catch (SQLException e) {
      return false; // the question is "reachable?", and the answer is no
    }
  }

  @Override
  public void close() {
    dataSource.close();
  }

  private PreparedStatement prepare(Connection c, String sql, Object... params)
      throws SQLException {
    return prepare(c, new Sql().append(sql, params));
  }

  /** The statement of {@code sql}, its values bound, with the store's query timeout. */
  private PreparedStatement prepare(Connection c, Sql sql) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql.text());
    try {
      ps.setQueryTimeout(queryTimeoutSeconds);
      sql.bind(ps);
      return ps;
    } catch (SQLException e) {
      ps.close();
      throw e;
    }
  }

  private long elapsedMs(long startNanos) {
    return (nanoTime.getAsLong() - startNanos) / 1_000_000;
  }

  private String poolState() {
    HikariPoolMXBean pool = dataSource.getHikariPoolMXBean();
    if (pool == null) {
      return "pool not started";
    }
    return "pool total=" + pool.getTotalConnections() + ", active=" + pool.getActiveConnections()
        + ", idle=" + pool.getIdleConnections() + ", waiting="
        + pool.getThreadsAwaitingConnection();
  }

  private ArchiveStoreException failure(String op, long startNanos, SQLException e) {
    return new ArchiveStoreException("archive store: " + op + " failed after "
        + elapsedMs(startNanos) + " ms (SQL state " + e.getSQLState() + ", " + poolState()
        + ", " + dialect.id() + " " + Redaction.url(config.jdbcUrl()) + "): "
        + Redaction.firstLine(e.getMessage()), e.getSQLState(), e);
  }
}
