package dev.archivist.store.argo;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;

/**
 * Reads node maps from Argo's offload table ({@code argo_workflows}: clustername, uid, version,
 * namespace, nodes, updatedat; primary key clustername, uid, version), scoped to one cluster name.
 */
public interface OffloadedNodes {

  /** One row of the offload table: a workflow's uid and {@code status.offloadNodeStatusVersion}. */
  record Key(String uid, String version) {
    public Key {
      Objects.requireNonNull(uid, "uid");
      Objects.requireNonNull(version, "version");
    }
  }

  /**
   * The {@code nodes} column (JSON text) of every row among {@code keys} that exists; a key with
   * no row is absent from the map.
   *
   * @throws dev.archivist.store.ArchiveStoreException when the table could not be read (database
   *     down, timed out, no such table): the caller retries the whole batch
   */
  Map<Key, String> read(Collection<Key> keys);
}
