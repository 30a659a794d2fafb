package dev.archivist.store.argo;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where Argo's offloaded nodes are, and how large a node map may be once decoded.
 *
 * @param offloadTable Argo's offload table ({@code persistence.postgresql.tableName} or
 *     {@code persistence.mysql.tableName} in Argo's configuration; {@code argo_workflows} by
 *     default), optionally qualified by a schema: {@code [schema.]table}, letters, digits and
 *     underscores only, since it is written into the SQL
 * @param maxNodesBytes the largest node map, in bytes of JSON, that is decoded or read; beyond it
 *     the workflow's nodes are unavailable
 */
public record ArgoNodesConfig(String offloadTable, long maxNodesBytes) {
  /** Argo's default offload table. */
  public static final String DEFAULT_OFFLOAD_TABLE = "argo_workflows";
  /**
   * 64 MiB of node-map JSON. Argo compresses a workflow only past 1 MiB, and JSON of a node map
   * compresses about tenfold, so real maps are far smaller; the bound exists for bombs.
   */
  public static final long DEFAULT_MAX_NODES_BYTES = 64L << 20;

  private static final Pattern IDENTIFIER = Pattern.compile(
      "[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");

  public ArgoNodesConfig {
    Objects.requireNonNull(offloadTable, "offloadTable");
    if (!IDENTIFIER.matcher(offloadTable).matches()) {
      throw new IllegalArgumentException("--argo-offload-table must be a table name, optionally"
          + " schema-qualified ([schema.]table: letters, digits and underscores, at most 63"
          + " each), got '" + offloadTable + "'");
    }
    if (maxNodesBytes < 1) {
      throw new IllegalArgumentException("maxNodesBytes must be >= 1, got " + maxNodesBytes);
    }
  }

  /** The defaults: table {@value #DEFAULT_OFFLOAD_TABLE}, node maps up to 64 MiB. */
  public static ArgoNodesConfig defaults() {
    return new ArgoNodesConfig(DEFAULT_OFFLOAD_TABLE, DEFAULT_MAX_NODES_BYTES);
  }

  /** The default size bound with another table. */
  public static ArgoNodesConfig ofTable(String offloadTable) {
    return new ArgoNodesConfig(offloadTable, DEFAULT_MAX_NODES_BYTES);
  }
}
