package dev.archivist.server;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Set;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the archive browser asks before it acts. {@code GET /api/v1/info} says what the server
 * allows, so the browser can hide Delete on a read-only server instead of letting a click fail,
 * and knows whether to ask for a token; it needs no token itself. {@code GET /api/v1/userinfo}
 * says who the server takes the caller to be and which namespaces of the archive they may list,
 * so the browser can say so after sign-in; it is behind the access filter like the rest of
 * {@code /api/}: a bad token gets 401 there as anywhere.
 */
final class InfoApi {
  static final String PATH = "/api/v1/info";
  static final String USER_INFO = "/api/v1/userinfo";

  private final Json json;
  private final boolean readOnly;
  private final AuthMode authMode;
  private final NamespaceGuard guard;
  private final String version;

  InfoApi(Json json, boolean readOnly, AuthMode authMode, NamespaceGuard guard) {
    this.json = json;
    this.readOnly = readOnly;
    this.authMode = authMode;
    this.guard = guard;
    String v = InfoApi.class.getPackage().getImplementationVersion();
    this.version = v == null ? "dev" : v;
  }

  void register(RoutesConfig routes) {
    routes.get(PATH, this::info);
    routes.get(USER_INFO, this::userInfo);
  }

  private void info(Context ctx) {
    ObjectNode body = json.object();
    body.put("readOnly", readOnly);
    // Whether the browser must ask for a token first: none, token or kubernetes.
    body.put("authMode", authMode.flagValue());
    body.put("version", version);
    json.write(ctx, 200, body);
  }

  private void userInfo(Context ctx) {
    AccessControl.Caller caller = AccessFilter.caller(ctx);
    ObjectNode body = json.object();
    body.put("authMode", authMode.flagValue());
    body.put("name", caller.name());
    ArrayNode groups = body.putArray("groups");
    caller.groups().forEach(groups::add);
    Set<String> namespaces = guard.listable(ctx);
    body.put("allNamespaces", namespaces == null);
    ArrayNode list = body.putArray("namespaces");
    if (namespaces != null) {
      namespaces.forEach(list::add);
    }
    json.write(ctx, 200, body);
  }
}
