package dev.archivist.store.argo;

import dev.archivist.store.argo.NodeRestoration.From;
import dev.archivist.store.argo.NodeRestoration.Restored;
import dev.archivist.store.argo.NodeRestoration.Unavailable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Decides per workflow, decodes compressed nodes at once, and reads the offloaded ones of a
 * whole batch in one call to {@link OffloadedNodes}. Stateless apart from configuration.
 */
final class DefaultNodeRestorer implements NodeRestorer {
  static final String NODES = "nodes";
  static final String COMPRESSED = "compressedNodes";
  static final String OFFLOAD_VERSION = "offloadNodeStatusVersion";

  private final OffloadedNodes offloaded;
  private final long maxNodesBytes;

  DefaultNodeRestorer(OffloadedNodes offloaded, long maxNodesBytes) {
    this.offloaded = Objects.requireNonNull(offloaded, "offloaded");
    if (maxNodesBytes < 1) {
      throw new IllegalArgumentException("maxNodesBytes must be >= 1, got " + maxNodesBytes);
    }
    this.maxNodesBytes = maxNodesBytes;
  }

  @Override
  public List<NodeRestoration> restore(List<? extends JsonNode> workflows) {
    NodeRestoration[] out = new NodeRestoration[workflows.size()];
    Map<OffloadedNodes.Key, List<Integer>> wanted = new LinkedHashMap<>();
    for (int i = 0; i < out.length; i++) {
      JsonNode w = workflows.get(i);
      JsonNode status = w == null ? null : w.get("status");
      if (!(w instanceof ObjectNode workflow) || !(status instanceof ObjectNode st)) {
        out[i] = new Restored(w, From.IN_PLACE); // nothing to restore; fromWorkflow judges it
        continue;
      }
      JsonNode compressed = st.get(COMPRESSED);
      JsonNode version = st.get(OFFLOAD_VERSION);
      String uid = w.path("metadata").path("uid").asString("");
      if (isSet(version)) {
        if (!version.isString()) {
          out[i] = unavailable(w, "status." + OFFLOAD_VERSION + " is a " + version.getNodeType()
              + ", expected a string");
        } else if (uid.isEmpty()) {
          out[i] = new Restored(w, From.IN_PLACE); // no uid to look up; fromWorkflow rejects it
        } else {
          wanted.computeIfAbsent(new OffloadedNodes.Key(uid, version.stringValue()),
              k -> new ArrayList<>(1)).add(i);
        }
      } else if (isSet(compressed)) {
        if (!compressed.isString()) {
          out[i] = unavailable(w, "status." + COMPRESSED + " is a " + compressed.getNodeType()
              + ", expected a base64 string");
          continue;
        }
        JsonNode present = st.get(NODES);
        if (present != null && present.isObject() && !present.isEmpty()) {
          // Argo decodes only into an empty map; nodes beside a stale copy stay as they are.
          out[i] = new Restored(withNodes(workflow, st, present), From.IN_PLACE);
          continue;
        }
        try {
          JsonNode nodes = CompressedNodes.decode(compressed.stringValue(), maxNodesBytes);
          out[i] = new Restored(withNodes(workflow, st, nodes), From.COMPRESSED);
        } catch (CompressedNodes.Unreadable e) {
          out[i] = unavailable(w, e.getMessage());
        }
      } else if (compressed != null || version != null) {
        out[i] = new Restored(withNodes(workflow, st, st.get(NODES)), From.IN_PLACE);
      } else {
        out[i] = new Restored(w, From.IN_PLACE);
      }
    }
    if (!wanted.isEmpty()) {
      Map<OffloadedNodes.Key, String> rows = offloaded.read(wanted.keySet());
      for (Map.Entry<OffloadedNodes.Key, List<Integer>> e : wanted.entrySet()) {
        OffloadedNodes.Key key = e.getKey();
        String json = rows.get(key);
        for (int i : e.getValue()) {
          out[i] = fromOffloaded(workflows.get(i), key, json);
        }
      }
    }
    return Arrays.asList(out);
  }

  private NodeRestoration fromOffloaded(JsonNode w, OffloadedNodes.Key key, String json) {
    String what = "the offloaded nodes (" + OFFLOAD_VERSION + " " + key.version() + ")";
    if (json == null) {
      return unavailable(w, "status." + OFFLOAD_VERSION + " is " + key.version()
          + ", but Argo's offload table has no such row for this uid and cluster name: Argo"
          + " deletes offloaded nodes a few minutes after the workflow leaves the cluster (or the"
          + " wrong --argo-offload-table, --argo-offload-db or --cluster-name is set)");
    }
    if (json.length() > maxNodesBytes) {
      return unavailable(w, what + " are " + json.length() + " characters long, more than the "
          + maxNodesBytes + " bytes allowed for a node map");
    }
    try {
      JsonNode nodes = CompressedNodes.parse(json, what);
      return new Restored(withNodes((ObjectNode) w, (ObjectNode) w.get("status"), nodes),
          From.OFFLOADED);
    } catch (CompressedNodes.Unreadable e) {
      return unavailable(w, e.getMessage());
    }
  }

  /** Set: present and neither null nor an empty string (Argo omits empty ones anyway). */
  private static boolean isSet(JsonNode n) {
    return n != null && !n.isNull() && !(n.isString() && n.stringValue().isEmpty());
  }

  private static Unavailable unavailable(JsonNode w, String why) {
    JsonNode meta = w.path("metadata");
    return new Unavailable("workflow " + meta.path("namespace").asString("") + "/"
        + meta.path("name").asString("") + " (uid " + meta.path("uid").asString("") + "): "
        + why);
  }

  /**
   * A shallow copy of {@code workflow} whose status has {@code nodes} (none when null or a JSON
   * null) and neither of Argo's two fields; everything else is shared with the input.
   */
  static ObjectNode withNodes(ObjectNode workflow, ObjectNode status, JsonNode nodes) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode newStatus = f.objectNode();
    boolean placed = false;
    for (Map.Entry<String, JsonNode> e : status.properties()) {
      String k = e.getKey();
      if (k.equals(COMPRESSED) || k.equals(OFFLOAD_VERSION)) {
        continue;
      }
      if (k.equals(NODES)) {
        if (nodes != null && !nodes.isNull()) {
          newStatus.set(NODES, nodes);
        }
        placed = true;
        continue;
      }
      newStatus.set(k, e.getValue());
    }
    if (!placed && nodes != null && !nodes.isNull()) {
      newStatus.set(NODES, nodes);
    }
    ObjectNode copy = f.objectNode();
    for (Map.Entry<String, JsonNode> e : workflow.properties()) {
      copy.set(e.getKey(), e.getKey().equals("status") ? newStatus : e.getValue());
    }
    return copy;
  }
}
