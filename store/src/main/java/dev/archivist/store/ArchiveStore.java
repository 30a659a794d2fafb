package dev.archivist.store;

import dev.archivist.store.argo.ArgoNodesConfig;
import dev.archivist.store.argo.NodeRestorer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * The archive: Argo's {@code argo_archived_workflows} tables on PostgreSQL or MySQL/MariaDB,
 * scoped to one {@code (clustername, instanceid)}.
 *
 * <p>Thread-safe. Every method borrows a pooled connection and returns it before it returns.
 * Failures of the database itself (unreachable, timed out) surface as
 * {@link ArchiveStoreException}; a row the database rejects on its own merits is reported in the
 * {@link BatchResult} and does not fail its batch.
 */
public interface ArchiveStore extends AutoCloseable {

  /**
   * Opens a pool on {@code config}. It does not create or change the schema: call
   * {@link #migrate()} (or {@code archivist migrate}) first. With
   * {@link StoreConfig#passwordFile()} the pool reads the file for every connection it opens.
   */
  static ArchiveStore open(StoreConfig config) {
    return ArchiveStores.open(config);
  }

  /** {@code postgresql} or {@code mysql} (which covers MariaDB), from the JDBC URL. */
  String dialect();

  /** Creates the schema, adopts Argo's, or refuses with a message saying why. Idempotent. */
  MigrationResult migrate();

  /**
   * Upserts {@code batch} in one transaction, keyed by {@code (clustername, uid)}, replacing
   * each row's labels. Rows are written in uid order. A row the database rejects (too large, a
   * label too long, ...) fails alone and the rest commit. A stored row of a later completion of
   * the same workflow (a later {@code finishedAt}) is never replaced by an older one: that
   * document is reported {@link BatchResult.Superseded} and nothing of its row changes.
   *
   * @throws ArchiveStoreException when the batch as a whole could not be committed
   */
  BatchResult archive(List<WorkflowDocument> batch);

  /**
   * One page of partial workflows, newest {@code startedat} first (ties by uid, descending).
   * The limit defaults to {@link ListQuery#DEFAULT_LIMIT} and is capped at
   * {@link ListQuery#MAX_LIMIT}. The page's {@code continue} is an opaque keyset cursor, or, when
   * the request's was an integer offset (as Argo's clients send), the next offset.
   *
   * @throws IllegalArgumentException when the continue token is not one we issued nor an
   *     integer (the message says which), before the database is asked anything
   */
  Page list(ListQuery query);

  /** The whole stored workflow, as Argo stores it. */
  Optional<ObjectNode> get(String uid);

  /** The latest (by startedat) stored workflow of that namespace and name. */
  Optional<ObjectNode> getLatest(String namespace, String name);

  /** Whether a row with this uid exists. */
  boolean exists(String uid);

  /** Deletes one row and its labels; false when there was none. */
  boolean delete(String uid);

  /** Every label key in the archive, sorted (like Argo's, across cluster names). */
  List<String> labelKeys();

  /** Every value of one label key, sorted (like Argo's, across cluster names). */
  List<String> labelValues(String key);

  /**
   * Every label key of the workflows of this store's scope in {@code namespaces}, sorted. Unlike
   * {@link #labelKeys()} it reads the label rows of those namespaces' workflows, so it costs
   * time in proportion to them.
   */
  List<String> labelKeys(Set<String> namespaces);

  /** Every value of one label key in {@code namespaces}, sorted; see {@link #labelKeys(Set)}. */
  List<String> labelValues(String key, Set<String> namespaces);

  /**
   * Every namespace that has a workflow in this store's scope, sorted: one index probe per
   * namespace, so it stays cheap however many workflows each holds.
   */
  List<String> namespaces();

  /**
   * Deletes rows whose {@code finishedat} is before {@code cutoff}, {@code batchSize} at a time,
   * each batch its own transaction, until none is left.
   *
   * @return how many rows were deleted
   */
  long deleteFinishedBefore(Instant cutoff, int batchSize);

  /**
   * The log of quarantined workflows (table {@code archivist_quarantine}, created by
   * {@link #migrate()}), sharing this store's pool and scope.
   *
   * @throws UnsupportedOperationException from a store that keeps no such log
   */
  default QuarantineLog quarantine() {
    throw new UnsupportedOperationException(getClass().getSimpleName()
        + " keeps no quarantine log");
  }

  /**
   * Restores the nodes Argo moved out of large workflows, reading offloaded ones from
   * {@code argo.offloadTable()} in this store's database, scoped by its cluster name. For an
   * offload table in another database, open a store on that database (no need to migrate it)
   * and ask it.
   *
   * @throws UnsupportedOperationException from a store without a database
   */
  default NodeRestorer nodeRestorer(ArgoNodesConfig argo) {
    throw new UnsupportedOperationException(getClass().getSimpleName()
        + " cannot read Argo's offload table");
  }

  /**
   * Whether the database answers a trivial query within {@code timeout}. Waiting for a pooled
   * connection is bounded by {@link StoreConfig#connectTimeout()} as well.
   */
  boolean isReachable(Duration timeout);

  /** Closes the pool. */
  @Override
  void close();
}
