package dev.archivist.bench.memory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class LeanCrudDispatcherTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static JsonNode node(String json) {
    return JSON.readTree(json);
  }

  @Test
  void sameOutsideMetadataAndStatus_statusOrLabelChange_isTheSame() {
    JsonNode a = node("{\"metadata\":{\"labels\":{\"a\":\"1\"}},"
        + "\"spec\":{\"x\":1},\"status\":{\"p\":1}}");
    JsonNode b = node("{\"metadata\":{\"labels\":{\"a\":\"2\"}},"
        + "\"spec\":{\"x\":1},\"status\":{\"p\":2}}");

    assertThat(LeanCrudDispatcher.sameOutsideMetadataAndStatus(a, b)).isTrue();
  }

  @Test
  void sameOutsideMetadataAndStatus_specChangeOrNewField_differs() {
    JsonNode a = node("{\"metadata\":{},\"spec\":{\"x\":1}}");

    assertThat(LeanCrudDispatcher.sameOutsideMetadataAndStatus(a,
        node("{\"metadata\":{},\"spec\":{\"x\":2}}"))).isFalse();
    assertThat(LeanCrudDispatcher.sameOutsideMetadataAndStatus(a,
        node("{\"metadata\":{},\"spec\":{\"x\":1},\"extra\":true}"))).isFalse();
  }
}
