package dev.archivist.app;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/** {@code -o table|json|yaml}. */
enum OutputFormat {
  TABLE,
  JSON,
  YAML;

  private static final JsonMapper JSON_MAPPER = JsonMapper.builder()
      .enable(SerializationFeature.INDENT_OUTPUT).build();
  // kubectl-like YAML: no document marker, quotes only where YAML needs them, block scripts.
  private static final YAMLMapper YAML_MAPPER = YAMLMapper.builder()
      .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
      .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
      .enable(YAMLWriteFeature.LITERAL_BLOCK_STYLE)
      .build();

  /** {@code node} as pretty JSON or YAML, ending with a newline. */
  static String render(JsonNode node, OutputFormat format) {
    return switch (format) {
      case JSON -> JSON_MAPPER.writeValueAsString(node) + System.lineSeparator();
      case YAML -> YAML_MAPPER.writeValueAsString(node);
      case TABLE -> throw new IllegalArgumentException("a single object has no table form");
    };
  }

  static JsonMapper json() {
    return JSON_MAPPER;
  }
}
