package dev.archivist.store.argo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The committed test vectors (src/test/resources/argo-nodes, see its README). */
final class Vectors {
  static final JsonMapper JSON = JsonMapper.builder().build();

  private Vectors() {}

  static byte[] bytes(String name) {
    try (InputStream in = Vectors.class.getResourceAsStream("/argo-nodes/" + name)) {
      if (in == null) {
        throw new IllegalStateException("no test vector /argo-nodes/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The vector as Argo puts it in {@code status.compressedNodes}. */
  static String base64(String name) {
    return Base64.getEncoder().encodeToString(bytes(name));
  }

  static JsonNode json(String name) {
    return JSON.readTree(bytes(name));
  }
}
