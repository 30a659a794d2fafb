package dev.archivist.server;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Set;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /api/v1/userinfo}: who the server takes the caller to be, and which namespaces of
 * the archive they may list, so the archive browser can say so after sign-in. Behind the access
 * filter like the rest of {@code /api/}: a bad token gets 401 here as anywhere.
 */
final class UserInfoApi {
  static final String PATH = "/api/v1/userinfo";

  private final Json json;
  private final AuthMode mode;
  private final NamespaceGuard guard;

  UserInfoApi(Json json, AuthMode mode, NamespaceGuard guard) {
    this.json = json;
    this.mode = mode;
    this.guard = guard;
  }

  void register(RoutesConfig routes) {
    routes.get(PATH, this::userInfo);
  }

  private void userInfo(Context ctx) {
    AccessControl.Caller caller = AccessFilter.caller(ctx);
    ObjectNode body = json.object();
    body.put("authMode", mode.flagValue());
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
