package dev.archivist.server;

import dev.archivist.store.ArchiveSchema;
import dev.archivist.store.ArchiveStore;
import dev.archivist.store.ListQuery;
import dev.archivist.store.Page;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Argo-shaped archive API: Argo Server's {@code ArchivedWorkflowService} over HTTP, read from
 * an {@link ArchiveStore}. Handlers run on Jetty's request threads and call the store directly;
 * the store is thread-safe and bounds every call with its pool and statement timeouts.
 */
final class ArchiveApi {
  static final String LIST = "/api/v1/archived-workflows";
  /** The list path with an empty uid: {@code ?namespace=&name=} asks for the latest by name. */
  static final String LIST_SLASH = "/api/v1/archived-workflows/";
  static final String ONE = "/api/v1/archived-workflows/{uid}";
  static final String LABEL_KEYS = "/api/v1/archived-workflows-label-keys";
  static final String LABEL_VALUES = "/api/v1/archived-workflows-label-values";

  /** A uid longer than Argo's column cannot be there. */
  private static final int MAX_UID_LENGTH = ArchiveSchema.UID_LENGTH;

  private final ArchiveStore store;
  private final Json json;
  private final boolean readOnly;

  ArchiveApi(ArchiveStore store, Json json, boolean readOnly) {
    this.store = store;
    this.json = json;
    this.readOnly = readOnly;
  }

  void register(RoutesConfig routes) {
    routes.get(LIST, this::list);
    routes.get(LIST_SLASH, this::listOrLatest);
    routes.get(ONE, this::get);
    routes.delete(ONE, this::delete);
    routes.get(LABEL_KEYS, this::labelKeys);
    routes.get(LABEL_VALUES, this::labelValues);
  }

  private void list(Context ctx) {
    ListQuery query = ListRequestParser.parseList(QueryParams.of(ctx));
    Page page;
    try {
      page = store.list(query);
    } catch (IllegalArgumentException e) {
      // The store refuses what it cannot serve, such as a continue token that is not one of
      // its cursors, with a message saying what is wrong: the client's mistake, so a 400.
      String message = String.valueOf(e.getMessage());
      throw ApiException.badRequest(query.continueToken() != null && message.contains("continue")
          ? ListRequestParser.CONTINUE + ": " + message : message);
    }
    ObjectNode body = json.object();
    ObjectNode metadata = body.putObject("metadata");
    if (page.continueToken() != null && !page.continueToken().isEmpty()) {
      metadata.put("continue", page.continueToken());
    }
    ArrayNode items = body.putArray("items");
    for (ObjectNode item : page.items()) {
      items.add(item);
    }
    json.write(ctx, 200, body);
  }

  private void listOrLatest(Context ctx) {
    QueryParams params = QueryParams.of(ctx);
    if (params.single("name") == null) {
      list(ctx);
      return;
    }
    latest(ctx, params);
  }

  private void get(Context ctx) {
    String uid = ctx.pathParam("uid");
    Optional<ObjectNode> workflow =
        uid.length() > MAX_UID_LENGTH ? Optional.empty() : store.get(uid);
    json.write(ctx, 200, workflow.orElseThrow(
        () -> ApiException.notFound("archived workflow with uid \"" + uid + "\" not found")));
  }

  private void latest(Context ctx, QueryParams params) {
    String namespace = params.single("namespace");
    String name = params.single("name");
    if (namespace == null) {
      throw ApiException.badRequest("namespace is required with name: give both to get the"
          + " latest archived workflow of that name");
    }
    ObjectNode workflow = store.getLatest(namespace, name).orElseThrow(
        () -> ApiException.notFound("no archived workflow named \"" + name
            + "\" in namespace \"" + namespace + "\""));
    json.write(ctx, 200, workflow);
  }

  private void delete(Context ctx) {
    String uid = ctx.pathParam("uid");
    if (readOnly) {
      throw new ApiException(ErrorCode.PERMISSION_DENIED, "the archive is served read-only"
          + " (--read-only); DELETE of archived workflow \"" + uid + "\" is refused");
    }
    boolean deleted = uid.length() <= MAX_UID_LENGTH && store.delete(uid);
    if (!deleted) {
      throw ApiException.notFound("archived workflow with uid \"" + uid + "\" not found");
    }
    json.write(ctx, 200, json.object());
  }

  private void labelKeys(Context ctx) {
    json.write(ctx, 200, itemsOf(store.labelKeys(), false));
  }

  private void labelValues(Context ctx) {
    String key = ListRequestParser.parseLabelValuesKey(QueryParams.of(ctx));
    json.write(ctx, 200, itemsOf(store.labelValues(key), true));
  }

  private ObjectNode itemsOf(List<String> values, boolean withMetadata) {
    ObjectNode body = json.object();
    if (withMetadata) {
      body.putObject("metadata");
    }
    ArrayNode items = body.putArray("items");
    for (String value : values) {
      items.add(value);
    }
    return body;
  }
}
