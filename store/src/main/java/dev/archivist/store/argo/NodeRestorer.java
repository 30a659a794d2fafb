package dev.archivist.store.argo;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Puts back the {@code status.nodes} that Argo moved out of a large workflow, as Argo's own
 * archiver does before it writes a row, so that the stored JSON is whole:
 *
 * <ul>
 *   <li>{@code status.compressedNodes} (base64 of the gzip-, zstd- or brotli-compressed JSON of
 *       the node map, written when the workflow outgrew Argo's {@code MAX_WORKFLOW_SIZE}) is
 *       decoded into {@code status.nodes};
 *   <li>{@code status.offloadNodeStatusVersion} (node-status offloading) names a row of Argo's
 *       offload table, whose {@code nodes} become {@code status.nodes}. Argo deletes such rows a
 *       few minutes after the workflow leaves the cluster, so archive it before that.
 * </ul>
 *
 * <p>Both fields are removed. Where both are set the offloaded nodes win, and a non-empty
 * {@code status.nodes} beside {@code compressedNodes} is kept as it is, both as in Argo. A
 * workflow with neither is returned as it is. The decoded size of a node map is bounded
 * ({@link ArgoNodesConfig#maxNodesBytes()}), so a decompression bomb is an {@code Unavailable}
 * outcome, not an {@link OutOfMemoryError}.
 *
 * <p>Thread-safe; any number of workers may share one. Inputs are never modified.
 */
public interface NodeRestorer {

  /**
   * Restores a batch, reading every offloaded node map it needs in as few queries as it can
   * (one per 500 offloaded workflows), and only when at least one is offloaded.
   *
   * @param workflows workflow objects as read from the API server
   * @return one outcome per input, in the same order
   * @throws dev.archivist.store.ArchiveStoreException when the offload table could not be read;
   *     nothing in the batch is then known to be unavailable, so retry them all as a database
   *     failure (never quarantine for it)
   */
  List<NodeRestoration> restore(List<? extends JsonNode> workflows);

  /** {@link #restore(List)} for one workflow. */
  default NodeRestoration restore(JsonNode workflow) {
    return restore(List.of(workflow)).get(0);
  }

  /**
   * A restorer that reads offloaded nodes from {@code offloaded}. The archive store gives one
   * over its own database ({@link dev.archivist.store.ArchiveStore#nodeRestorer}); this is for
   * other sources and for tests.
   */
  static NodeRestorer over(OffloadedNodes offloaded, long maxNodesBytes) {
    return new DefaultNodeRestorer(offloaded, maxNodesBytes);
  }
}
