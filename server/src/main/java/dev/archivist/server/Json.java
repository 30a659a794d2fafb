package dev.archivist.server;

import io.javalin.http.Context;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes JSON responses. One {@link JsonMapper} per server, which is thread-safe once built.
 * Responses are built as trees: the store already hands out {@link ObjectNode}s, and the
 * envelopes around them are small.
 */
final class Json {
  static final String CONTENT_TYPE = "application/json";

  /** Set on a context once a JSON body is written, so error handlers do not overwrite it. */
  static final String WRITTEN_ATTRIBUTE = "archivist.json-written";

  private final JsonMapper mapper = JsonMapper.builder().build();

  ObjectNode object() {
    return mapper.createObjectNode();
  }

  ArrayNode array() {
    return mapper.createArrayNode();
  }

  void write(Context ctx, int status, JsonNode body) {
    ctx.status(status);
    ctx.contentType(CONTENT_TYPE);
    ctx.result(mapper.writeValueAsBytes(body));
    ctx.attribute(WRITTEN_ATTRIBUTE, Boolean.TRUE);
  }

  /** Argo's error shape: {@code {"code":<grpc code>,"message":"..."}}. */
  void writeError(Context ctx, ErrorCode code, String message) {
    ObjectNode body = object();
    body.put("code", code.grpcCode);
    body.put("message", message);
    write(ctx, code.httpStatus, body);
  }
}
