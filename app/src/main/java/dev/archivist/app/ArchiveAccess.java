package dev.archivist.app;

import dev.archivist.store.ListQuery;
import dev.archivist.store.Page;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * What {@code list}, {@code get} and {@code delete} need from the archive, over the database
 * ({@code --db}) or over a running server's HTTP API ({@code --server}).
 */
interface ArchiveAccess extends AutoCloseable {
  Page list(ListQuery query);

  Optional<ObjectNode> get(String uid);

  Optional<ObjectNode> getLatest(String namespace, String name);

  boolean delete(String uid);

  /**
   * The quarantined workflows, oldest first, each shaped as {@code GET /api/v1/quarantine}'s
   * items ({@code namespace, name, uid, failures, lastError, since}).
   */
  List<ObjectNode> quarantine();

  @Override
  void close();
}
