package dev.archivist.store.argo;

import java.util.Objects;
import tools.jackson.databind.JsonNode;

/** What {@link NodeRestorer} made of one workflow. */
public sealed interface NodeRestoration {

  /**
   * The workflow with {@code status.nodes} in place and neither {@code status.compressedNodes} nor
   * {@code status.offloadNodeStatusVersion}: ready for
   * {@link dev.archivist.store.WorkflowDocuments#fromWorkflow}.
   *
   * @param workflow the input itself when nothing had to change, else a new object sharing the
   *     input's unchanged parts (so modify neither); a non-object input is passed through as it
   *     is, for {@code fromWorkflow} to reject
   * @param from where the nodes came from
   */
  record Restored(JsonNode workflow, From from) implements NodeRestoration {
    public Restored {
      Objects.requireNonNull(workflow, "workflow");
      Objects.requireNonNull(from, "from");
    }
  }

  /**
   * The nodes could not be restored, so the workflow must not be archived yet (nor marked or
   * deleted): retry it, and quarantine it with {@link #REASON} when retries run out. A database
   * that cannot be reached is not this outcome: {@link NodeRestorer#restore} throws then.
   *
   * @param detail what was wrong, naming the workflow's uid and the field, e.g. {@code "workflow
   *     3f2c…: status.compressedNodes is not valid base64: …"}
   */
  record Unavailable(String detail) implements NodeRestoration {
    /** The reason to quarantine (and count) such a workflow with. */
    public static final String REASON = "nodes_unavailable";

    public Unavailable {
      Objects.requireNonNull(detail, "detail");
    }
  }

  /** Where the nodes of a {@link Restored} workflow came from. */
  enum From {
    /** Nothing was moved out (an empty {@code compressedNodes} or version is just dropped). */
    IN_PLACE,
    /** Decoded from {@code status.compressedNodes}. */
    COMPRESSED,
    /** Read from Argo's offload table, as {@code status.offloadNodeStatusVersion} named. */
    OFFLOADED
  }
}
