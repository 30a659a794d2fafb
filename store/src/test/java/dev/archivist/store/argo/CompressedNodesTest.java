package dev.archivist.store.argo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

class CompressedNodesTest {
  private static final long LIMIT = ArgoNodesConfig.DEFAULT_MAX_NODES_BYTES;

  @ParameterizedTest
  @ValueSource(strings = {"nodes.json.gz", "nodes.json.zst", "nodes.json.br"})
  void decode_vectorsMadeByEachCommandLineTool(String vector) throws Exception {
    JsonNode nodes = CompressedNodes.decode(Vectors.base64(vector), LIMIT);
    assertThat(nodes).isEqualTo(Vectors.json("nodes.json"));
    assertThat(nodes.at("/big-wf-7k2pq-1139847221/message").stringValue())
        .isEqualTo("extraits: 12 fichiers — données ✓");
  }

  @Test
  void detect_followsArgosMagicBytes() {
    assertThat(CompressedNodes.Codec.detect(Vectors.bytes("nodes.json.gz")))
        .isEqualTo(CompressedNodes.Codec.GZIP);
    assertThat(CompressedNodes.Codec.detect(Vectors.bytes("nodes.json.zst")))
        .isEqualTo(CompressedNodes.Codec.ZSTD);
    assertThat(CompressedNodes.Codec.detect(Vectors.bytes("nodes.json.br")))
        .isEqualTo(CompressedNodes.Codec.BROTLI);
  }

  @Test
  void decode_brotliStreamThatBeginsWithGzipsMagicFallsBackToBrotli() throws Exception {
    byte[] stream = Vectors.bytes("gzip-magic.json.br");
    assertThat(CompressedNodes.Codec.detect(stream)).isEqualTo(CompressedNodes.Codec.GZIP);
    assertThat(CompressedNodes.decode(Vectors.base64("gzip-magic.json.br"), LIMIT))
        .isEqualTo(Vectors.json("gzip-magic.json"));
  }

  @Test
  void decode_corruptBase64SaysSo() {
    assertThatThrownBy(() -> CompressedNodes.decode("H4sI*not-base64*", LIMIT))
        .isInstanceOf(CompressedNodes.Unreadable.class)
        .hasMessageStartingWith("status.compressedNodes is not valid base64 (16 characters)");
  }

  @Test
  void decode_emptyAfterBase64SaysSo() {
    assertThatThrownBy(() -> CompressedNodes.decode("", LIMIT))
        .hasMessage("status.compressedNodes decodes to no bytes");
  }

  @Test
  void decode_corruptGzipStreamNamesGzip() {
    byte[] gz = Vectors.bytes("nodes.json.gz");
    for (int i = 20; i < gz.length - 8; i += 7) {
      gz[i] ^= 0x5a; // damage the deflate data; the CRC catches what inflate does not
    }
    assertThatThrownBy(() -> CompressedNodes.decode(Base64.getEncoder().encodeToString(gz),
        LIMIT))
        .isInstanceOf(CompressedNodes.Unreadable.class)
        .hasMessageStartingWith("status.compressedNodes is not a valid gzip stream ("
            + gz.length + " bytes, starting 1f 8b 08 00)");
  }

  @Test
  void decode_truncatedZstdStreamNamesZstd() {
    byte[] zst = Vectors.bytes("nodes.json.zst");
    byte[] cut = Arrays.copyOf(zst, zst.length / 2);
    assertThatThrownBy(() -> CompressedNodes.decode(Base64.getEncoder().encodeToString(cut),
        LIMIT))
        .isInstanceOf(CompressedNodes.Unreadable.class)
        .hasMessageStartingWith("status.compressedNodes is not a valid zstd stream");
  }

  @Test
  void decode_bytesWithoutMagicAreTakenForBrotliAndReportedAsSuch() {
    String garbage = Base64.getEncoder().encodeToString(
        "this is no compressed stream at all".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> CompressedNodes.decode(garbage, LIMIT))
        .isInstanceOf(CompressedNodes.Unreadable.class)
        .hasMessageStartingWith("status.compressedNodes is not a valid brotli stream");
  }

  @ParameterizedTest
  @ValueSource(strings = {"bomb-8MiB.gz", "bomb-8MiB.zst", "bomb-8MiB.br"})
  void decode_stopsAtTheSizeLimit(String bomb) {
    assertThatThrownBy(() -> CompressedNodes.decode(Vectors.base64(bomb), 1 << 20))
        .isInstanceOf(CompressedNodes.TooLarge.class)
        .hasMessageContaining("decompresses to more than 1048576 bytes, the limit for a node map");
  }

  @Test
  void decode_withinTheLimitExactly() throws Exception {
    long size = Vectors.bytes("nodes.json").length;
    assertThat(CompressedNodes.decode(Vectors.base64("nodes.json.zst"), size))
        .isEqualTo(Vectors.json("nodes.json"));
    assertThatThrownBy(() -> CompressedNodes.decode(Vectors.base64("nodes.json.zst"), size - 1))
        .isInstanceOf(CompressedNodes.TooLarge.class);
  }

  @Test
  void parse_acceptsAnObjectOrNullAndNothingElse() throws Exception {
    assertThat(CompressedNodes.parse("{}", "x").isObject()).isTrue();
    assertThat(CompressedNodes.parse("null", "x").isNull()).isTrue();
    assertThatThrownBy(() -> CompressedNodes.parse("[1,2]", "the nodes"))
        .hasMessage("the nodes is a JSON ARRAY, expected an object of nodes");
    assertThatThrownBy(() -> CompressedNodes.parse("{\"a\":1} trailing", "the nodes"))
        .hasMessageStartingWith("the nodes is not valid JSON");
    assertThatThrownBy(() -> CompressedNodes.parse("", "the nodes"))
        .hasMessage("the nodes is empty, expected a JSON object of nodes");
  }
}
