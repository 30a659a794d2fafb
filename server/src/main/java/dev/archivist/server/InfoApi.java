package dev.archivist.server;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /api/v1/info}: what a client needs to know about this server before it acts, so the
 * archive browser can hide Delete on a read-only server instead of letting a click fail, and
 * knows whether to ask for a token. It needs no token itself.
 */
final class InfoApi {
  static final String PATH = "/api/v1/info";

  private final Json json;
  private final boolean readOnly;
  private final AuthMode authMode;
  private final String version;

  InfoApi(Json json, boolean readOnly, AuthMode authMode) {
    this.json = json;
    this.readOnly = readOnly;
    this.authMode = authMode;
    String v = InfoApi.class.getPackage().getImplementationVersion();
    this.version = v == null ? "dev" : v;
  }

  void register(RoutesConfig routes) {
    routes.get(PATH, this::info);
  }

  private void info(Context ctx) {
    ObjectNode body = json.object();
    body.put("readOnly", readOnly);
    // Whether the browser must ask for a token first: none, token or kubernetes.
    body.put("authMode", authMode.flagValue());
    body.put("version", version);
    json.write(ctx, 200, body);
  }
}
