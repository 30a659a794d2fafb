package dev.archivist.store.argo;

import io.airlift.compress.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import org.brotli.dec.BrotliInputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Decodes Argo's {@code status.compressedNodes}: base64 (standard alphabet, padded) of the
 * compressed JSON of the node map.
 *
 * <p>Which compression: Argo writes gzip by default and, from v4.1, zstd or brotli
 * ({@code WORKFLOW_COMPRESSION_ALGORITHM}), and its reader tells them apart by their first bytes:
 * gzip's magic {@code 1f 8b}, zstd's frame magic {@code 28 b5 2f fd}, and anything else is brotli,
 * which has no magic. We decide the same way, so whatever Argo can read, we read the same. A
 * brotli stream could in principle begin with one of those magics (its first byte encodes the
 * window size: {@code 1f} is a 16 MiB window, {@code 28} a 64 KiB one), although Argo's writer
 * (a 4 MiB window) always starts with a byte ending in hex {@code b}. So when the codec that the
 * magic picked fails on a stream, brotli is tried before giving up, and the error names the codec
 * the magic picked.
 *
 * <p>The decompressed size is bounded: reading stops one byte past the limit, so a bomb costs at
 * most that much memory. The whole stream is read, so gzip's CRC and zstd's checksum (when
 * present) are verified.
 */
final class CompressedNodes {
  private static final JsonMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private CompressedNodes() {}

  /** Why a node map could not be had; the message says what was wrong, without the content. */
  static class Unreadable extends Exception {
    private static final long serialVersionUID = 1L;

    Unreadable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The codecs, in the order the magic bytes are checked. */
  enum Codec {
    GZIP("gzip", new byte[] {0x1f, (byte) 0x8b}) {
      @Override
      InputStream open(InputStream in) throws IOException {
        return new GZIPInputStream(in);
      }
    },
    ZSTD("zstd", new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd}) {
      @Override
      InputStream open(InputStream in) {
        return new ZstdInputStream(in);
      }
    },
    /** No magic: whatever is neither of the others. */
    BROTLI("brotli", new byte[0]) {
      @Override
      InputStream open(InputStream in) throws IOException {
        return new BrotliInputStream(in);
      }
    };

    final String label;
    private final byte[] magic;

    Codec(String label, byte[] magic) {
      this.label = label;
      this.magic = magic;
    }

    abstract InputStream open(InputStream in) throws IOException;

    /** The codec Argo's reader would pick for {@code data}. */
    static Codec detect(byte[] data) {
      for (Codec c : values()) {
        if (c.magic.length > 0 && startsWith(data, c.magic)) {
          return c;
        }
      }
      return BROTLI;
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
      if (data.length < prefix.length) {
        return false;
      }
      for (int i = 0; i < prefix.length; i++) {
        if (data[i] != prefix[i]) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * The node map encoded in {@code base64}: an object, or a JSON null (Argo's encoding of an
   * absent map).
   *
   * @throws Unreadable when it is not valid base64, not a stream of the detected codec, larger
   *     than {@code maxBytes} once decompressed, or not a JSON object
   */
  static JsonNode decode(String base64, long maxBytes) throws Unreadable {
    byte[] compressed;
    try {
      compressed = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new Unreadable("status.compressedNodes is not valid base64 (" + base64.length()
          + " characters): " + e.getMessage(), e);
    }
    if (compressed.length == 0) {
      throw new Unreadable("status.compressedNodes decodes to no bytes", null);
    }
    Codec codec = Codec.detect(compressed);
    byte[] json;
    try {
      json = decompress(codec, compressed, maxBytes);
    } catch (Unreadable first) {
      if (codec == Codec.BROTLI || first instanceof TooLarge) {
        throw first;
      }
      try {
        json = decompress(Codec.BROTLI, compressed, maxBytes);
      } catch (Unreadable second) {
        first.addSuppressed(second);
        throw first;
      }
    }
    return parse(json, "status.compressedNodes (" + codec.label + ")");
  }

  /** The node map in {@code json} (an object or null), or why not. */
  static JsonNode parse(byte[] json, String what) throws Unreadable {
    return parse(() -> JSON.readTree(json), what);
  }

  /** The node map in {@code json} (an object or null), or why not. */
  static JsonNode parse(String json, String what) throws Unreadable {
    return parse(() -> JSON.readTree(json), what);
  }

  /** The node map {@code read} returns, or why not. */
  private static JsonNode parse(Supplier<JsonNode> read, String what) throws Unreadable {
    JsonNode nodes;
    try {
      nodes = read.get();
    } catch (JacksonException e) {
      throw new Unreadable(what + " is not valid JSON: " + e.getOriginalMessage(), e);
    }
    return checkMap(nodes, what);
  }

  private static JsonNode checkMap(JsonNode nodes, String what) throws Unreadable {
    if (nodes == null || nodes.isMissingNode()) {
      throw new Unreadable(what + " is empty, expected a JSON object of nodes", null);
    }
    if (!nodes.isObject() && !nodes.isNull()) {
      throw new Unreadable(what + " is a JSON " + nodes.getNodeType()
          + ", expected an object of nodes", null);
    }
    return nodes;
  }

  /** Decompressed past the limit. */
  static final class TooLarge extends Unreadable {
    private static final long serialVersionUID = 1L;

    TooLarge(String message) {
      super(message, null);
    }
  }

  private static byte[] decompress(Codec codec, byte[] compressed, long maxBytes)
      throws Unreadable {
    ByteArrayOutputStream out = new ByteArrayOutputStream(
        (int) Math.min(maxBytes, Math.max(1024, compressed.length * 8L)));
    byte[] buffer = new byte[16 * 1024];
    long total = 0;
    // The decoders are foreign code fed untrusted bytes: besides IOException they signal a bad
    // stream with their own runtime exceptions, so this boundary catches both.
    try (InputStream in = codec.open(new ByteArrayInputStream(compressed))) {
      int n;
      while ((n = in.read(buffer, 0, (int) Math.min(buffer.length, maxBytes - total + 1))) > 0) {
        total += n;
        if (total > maxBytes) {
          throw new TooLarge("status.compressedNodes (" + codec.label + ", "
              + compressed.length + " bytes) decompresses to more than " + maxBytes
              + " bytes, the limit for a node map");
        }
        out.write(buffer, 0, n);
      }
    } catch (IOException | RuntimeException e) {
      throw new Unreadable("status.compressedNodes is not a valid " + codec.label + " stream ("
          + (codec == Codec.BROTLI ? "it has neither gzip's nor zstd's magic, and brotli has"
              + " none; " : "")
          + compressed.length + " bytes, starting " + hex(compressed) + "): "
          + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  private static String hex(byte[] data) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(4, data.length); i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(String.format("%02x", data[i] & 0xff));
    }
    return sb.toString();
  }
}
