package dev.archivist.server;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Jetty's own error responses (a request it refuses before any handler runs, such as a path
 * with a malformed escape) in the API's JSON shape instead of Jetty's HTML page. Never writes a
 * stack trace.
 */
final class JsonErrorHandler extends ErrorHandler {
  private final JsonMapper mapper = JsonMapper.builder().build();

  @Override
  protected void generateResponse(Request request, Response response, int status,
      String message, Throwable cause, Callback callback) {
    ObjectNode body = mapper.createObjectNode();
    body.put("code", grpcCode(status));
    body.put("message", "HTTP " + status + ": "
        + (message == null || message.isEmpty() ? "request refused" : message));
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, Json.CONTENT_TYPE);
    response.write(true, ByteBuffer.wrap(mapper.writeValueAsBytes(body)), callback);
  }

  private static int grpcCode(int status) {
    for (ErrorCode code : ErrorCode.values()) {
      if (code.httpStatus == status) {
        return code.grpcCode;
      }
    }
    return status >= 500 ? ErrorCode.INTERNAL.grpcCode : ErrorCode.INVALID_ARGUMENT.grpcCode;
  }
}
