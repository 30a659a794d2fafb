package dev.archivist.app;

import dev.archivist.server.QuarantineJson;
import dev.archivist.store.ArchiveStore;
import dev.archivist.store.ListQuery;
import dev.archivist.store.Page;
import dev.archivist.store.QuarantineEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/** {@link ArchiveAccess} straight to the database. */
final class StoreAccess implements ArchiveAccess {
  private final ArchiveStore store;

  StoreAccess(ArchiveStore store) {
    this.store = store;
  }

  @Override
  public Page list(ListQuery query) {
    return store.list(query);
  }

  @Override
  public Optional<ObjectNode> get(String uid) {
    return store.get(uid);
  }

  @Override
  public Optional<ObjectNode> getLatest(String namespace, String name) {
    return store.getLatest(namespace, name);
  }

  @Override
  public boolean delete(String uid) {
    return store.delete(uid);
  }

  @Override
  public List<ObjectNode> quarantine() {
    List<ObjectNode> items = new ArrayList<>();
    for (QuarantineEntry e : store.quarantine().list()) {
      items.add(QuarantineJson.write(e, OutputFormat.json().createObjectNode()));
    }
    return items;
  }

  @Override
  public void close() {
    store.close();
  }
}
