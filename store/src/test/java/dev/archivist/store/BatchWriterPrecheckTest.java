package dev.archivist.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@link BatchWriter} refuses before sending any SQL. */
class BatchWriterPrecheckTest {
  private static final Instant T = Instant.parse("2025-01-01T00:00:00Z");

  private static WorkflowDocument doc(String json) {
    return new WorkflowDocument("u", "wf", "ns", "Succeeded", T, T, T, Map.of(), json);
  }

  private static String precheck(Dialect dialect, long limit, String json) {
    BatchWriter w = new BatchWriter(dialect, "c", "", 10, limit, false);
    return w.precheck(doc(json), json, BatchWriter.utf8Length(json));
  }

  @Test
  void mysql_countsTheEscapedSizeAgainstMaxAllowedPacket() {
    String plain = "{\"a\":\"" + "x".repeat(5_000) + "\"}";
    String quotes = "{\"a\":\"" + "\\\"".repeat(2_500) + "\"}";
    assertThat(BatchWriter.utf8Length(quotes)).isEqualTo(BatchWriter.utf8Length(plain));

    assertThat(precheck(Dialect.MYSQL, 10_000, plain)).isNull();
    // Same byte length, but every backslash and quote doubles on the wire.
    assertThat(precheck(Dialect.MYSQL, 10_000, quotes))
        .contains("too large for the server's max_allowed_packet of 10000 bytes");
  }

  @Test
  void postgresql_hasNoPacketLimit() {
    assertThat(precheck(Dialect.POSTGRESQL, Long.MAX_VALUE, "{\"a\":\"" + "x".repeat(100_000)
        + "\"}")).isNull();
  }

  @Test
  void utf8Length_countsMultiByteCharacters() {
    assertThat(BatchWriter.utf8Length("a\u00e9\u20ac\uD83D\uDE00")).isEqualTo(1 + 2 + 3 + 4);
  }
}
