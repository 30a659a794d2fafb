package dev.archivist.bench.chaos;

import dev.archivist.bench.memory.WorkflowFactory;
import dev.archivist.core.WorkflowLabels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The bodies the campaign writes: a Running workflow at creation and the merge patch that
 * completes it, from {@link WorkflowFactory}s of a few sizes between the smallest and the largest,
 * small ones most often; the compressed kind moves a node map larger than Argo's 1 MiB limit into
 * {@code status.compressedNodes} (gzip, base64) as Argo's controller does.
 *
 * <p>Immutable and thread-safe.
 */
final class ChaosWorkflows {
  static final String RUN_LABEL = "bench.archivist.dev/run";
  /** Carries the final phase and attempt, so the account can tell the stored copy is the last. */
  static final String FINAL = "chaos.archivist.dev/final";
  static final JsonMapper JSON = JsonMapper.builder().build();
  /** Share of the stream of each size class, smallest first (per mille). */
  private static final int[] WEIGHTS = {400, 300, 180, 90, 30};

  private final String runId;
  private final WorkflowFactory[] factories;
  private final int[] sizes;
  private final WorkflowFactory compressed;

  ChaosWorkflows(String runId, int minSize, int maxSize, Path fixtures) {
    this.runId = runId;
    Instant epoch = Instant.now().minusSeconds(7200);
    int classes = minSize == maxSize ? 1 : WEIGHTS.length;
    factories = new WorkflowFactory[classes];
    sizes = new int[classes];
    for (int k = 0; k < classes; k++) {
      // Evenly spaced on a log scale: 2 KiB .. 1 MiB gives 2, 9, 45, 215 KiB and 1 MiB.
      double f = classes == 1 ? 0 : (double) k / (classes - 1);
      sizes[k] = (int) Math.round(minSize * Math.pow((double) maxSize / minSize, f));
      factories[k] = new WorkflowFactory(sizes[k], 0, fixtures, epoch);
    }
    compressed = new WorkflowFactory(1536 * 1024, 0, fixtures, epoch);
  }

  int[] sizes() {
    return sizes.clone();
  }

  /** The size class of stream workflow {@code i}, by the weights, spread evenly. */
  private WorkflowFactory factory(int i) {
    if (factories.length == 1) {
      return factories[0];
    }
    int slot = (int) ((i * 379L) % 1000);
    for (int k = 0; k < WEIGHTS.length; k++) {
      slot -= WEIGHTS[k];
      if (slot < 0) {
        return factories[k];
      }
    }
    return factories[0];
  }

  /** Workflow {@code i} as created: Running, in {@code namespace} under {@code name}. */
  ObjectNode running(int i, String namespace, String name) {
    ObjectNode wf = factory(i).version(i, 0);
    ObjectNode meta = (ObjectNode) wf.get("metadata");
    meta.put("name", name);
    meta.put("namespace", namespace);
    ((ObjectNode) meta.get("labels")).put(RUN_LABEL, runId);
    return wf;
  }

  /** Workflow {@code i} created already completed (a burst, a poison one). */
  ObjectNode completed(int i, String namespace, String name, String marker) {
    ObjectNode wf = factory(i).version(i, 1);
    ObjectNode meta = (ObjectNode) wf.get("metadata");
    meta.put("name", name);
    meta.put("namespace", namespace);
    ((ObjectNode) meta.get("labels")).put(RUN_LABEL, runId);
    ((ObjectNode) meta.get("annotations")).put(FINAL, marker);
    return wf;
  }

  /** The merge patch that completes workflow {@code i}: labels, marker and final status. */
  ObjectNode completion(int i, String marker, boolean compressNodes) {
    ObjectNode done = (compressNodes ? compressed : factory(i)).version(i, 1);
    ObjectNode patch = JSON.createObjectNode();
    ObjectNode meta = patch.putObject("metadata");
    meta.set("labels", done.get("metadata").get("labels"));
    meta.putObject("annotations").put(FINAL, marker);
    ObjectNode status = (ObjectNode) done.get("status");
    if (compressNodes) {
      status.put("compressedNodes", gzipBase64(JSON.writeValueAsBytes(status.get("nodes"))));
      status.remove("nodes");
    }
    patch.set("status", status);
    return patch;
  }

  static String phaseOf(ObjectNode completion) {
    return completion.path("status").path("phase").asString();
  }

  static String label(ObjectNode completion, String key) {
    return completion.path("metadata").path("labels").path(key).asString();
  }

  static String gzipBase64(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Base64.getEncoder().encodeToString(out.toByteArray());
  }

  /** Bytes that start like gzip (1f 8b) and then are not: a corrupt {@code compressedNodes}. */
  static String corruptCompressedNodes() {
    byte[] b = "\u001f\u008bnot a gzip stream at all".getBytes(StandardCharsets.ISO_8859_1);
    return Base64.getEncoder().encodeToString(b);
  }

  static String completedLabel() {
    return WorkflowLabels.COMPLETED;
  }
}
