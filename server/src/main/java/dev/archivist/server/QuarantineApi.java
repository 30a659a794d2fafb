package dev.archivist.server;

import dev.archivist.store.QuarantineEntry;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code GET /api/v1/quarantine}: what the controller stopped retrying, oldest first. */
final class QuarantineApi {
  static final String PATH = "/api/v1/quarantine";

  private final QuarantineSource source;
  private final Json json;
  private final NamespaceGuard guard;

  QuarantineApi(QuarantineSource source, Json json, NamespaceGuard guard) {
    this.source = source;
    this.json = json;
    this.guard = guard;
  }

  void register(RoutesConfig routes) {
    routes.get(PATH, this::list);
  }

  private void list(Context ctx) {
    List<QuarantineEntry> items = new ArrayList<>(source.quarantined());
    // Only the namespaces the caller may list workflows in (these workflows are not in the
    // archive, so each namespace is asked about, not the archive's).
    if (!guard.allows(ctx, AccessControl.Verb.LIST, null)) {
      items.removeIf(q -> !guard.allows(ctx, AccessControl.Verb.LIST, q.namespace()));
    }
    items.sort(Comparator.comparing(QuarantineEntry::firstFailedAt)
        .thenComparing(QuarantineEntry::namespace)
        .thenComparing(QuarantineEntry::name));
    ObjectNode body = json.object();
    ArrayNode array = body.putArray("items");
    for (QuarantineEntry q : items) {
      QuarantineJson.write(q, array.addObject());
    }
    json.write(ctx, 200, body);
  }
}
