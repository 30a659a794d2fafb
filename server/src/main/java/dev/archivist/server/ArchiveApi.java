package dev.archivist.server;

import dev.archivist.store.ArchiveSchema;
import dev.archivist.store.ArchiveStore;
import dev.archivist.store.ListQuery;
import dev.archivist.store.Page;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Argo-shaped archive API: Argo Server's {@code ArchivedWorkflowService} over HTTP, read from
 * an {@link ArchiveStore}. Handlers run on Jetty's request threads and call the store directly;
 * the store is thread-safe and bounds every call with its pool and statement timeouts.
 */
final class ArchiveApi {
  private static final Logger log = LoggerFactory.getLogger(ArchiveApi.class);

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
  private final NamespaceGuard guard;

  ArchiveApi(ArchiveStore store, Json json, boolean readOnly, NamespaceGuard guard) {
    this.store = store;
    this.json = json;
    this.readOnly = readOnly;
    this.guard = guard;
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
    if (query.namespace() != null) {
      guard.require(ctx, AccessControl.Verb.LIST, query.namespace(),
          "in namespace \"" + query.namespace() + "\"");
    } else {
      query = query.withNamespaces(guard.listable(ctx));
    }
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
    String uid = uid(ctx);
    ObjectNode workflow = find(uid);
    guard.require(ctx, AccessControl.Verb.GET, namespaceOf(workflow),
        "in the namespace of archived workflow \"" + uid + "\"");
    json.write(ctx, 200, workflow);
  }

  /** The uid path parameter; one that cannot be in the table is refused before any SQL. */
  private static String uid(Context ctx) {
    String uid = ctx.pathParam("uid");
    if (uid.indexOf('\0') >= 0) {
      throw ApiException.badRequest("the uid must not contain a NUL character (%00)");
    }
    return uid;
  }

  private ObjectNode find(String uid) {
    Optional<ObjectNode> workflow =
        uid.length() > MAX_UID_LENGTH ? Optional.empty() : store.get(uid);
    return workflow.orElseThrow(
        () -> ApiException.notFound("archived workflow with uid \"" + uid + "\" not found"));
  }

  private static String namespaceOf(ObjectNode workflow) {
    // Every archived row has a namespace; "" would ask for a cluster-wide right, which is stricter.
    return workflow.path("metadata").path("namespace").asString("");
  }

  private void latest(Context ctx, QueryParams params) {
    String namespace = params.single("namespace");
    String name = params.single("name");
    if (namespace == null) {
      throw ApiException.badRequest("namespace is required with name: give both to get the"
          + " latest archived workflow of that name");
    }
    guard.require(ctx, AccessControl.Verb.GET, namespace, "in namespace \"" + namespace + "\"");
    ObjectNode workflow = store.getLatest(namespace, name).orElseThrow(
        () -> ApiException.notFound("no archived workflow named \"" + name
            + "\" in namespace \"" + namespace + "\""));
    json.write(ctx, 200, workflow);
  }

  private void delete(Context ctx) {
    String uid = uid(ctx);
    if (readOnly) {
      throw new ApiException(ErrorCode.PERMISSION_DENIED, "the archive is served read-only"
          + " (--read-only); DELETE of archived workflow \"" + uid + "\" is refused");
    }
    ObjectNode workflow = find(uid);
    String namespace = namespaceOf(workflow);
    guard.require(ctx, AccessControl.Verb.DELETE, namespace,
        "in the namespace of archived workflow \"" + uid + "\"");
    boolean deleted = store.delete(uid);
    if (!deleted) {
      throw ApiException.notFound("archived workflow with uid \"" + uid + "\" not found");
    }
    // Deletes cannot be undone: say who did it.
    log.info("archived workflow {}/{} (uid {}) deleted by \"{}\"", namespace,
        workflow.path("metadata").path("name").asString(""), uid,
        AccessFilter.caller(ctx).name());
    json.write(ctx, 200, json.object());
  }

  /** Label keys and values of the namespaces the caller may list, so that none leak across. */
  private void labelKeys(Context ctx) {
    Set<String> namespaces = guard.listable(ctx);
    json.write(ctx, 200, itemsOf(namespaces == null ? store.labelKeys()
        : store.labelKeys(namespaces), false));
  }

  private void labelValues(Context ctx) {
    String key = ListRequestParser.parseLabelValuesKey(QueryParams.of(ctx));
    Set<String> namespaces = guard.listable(ctx);
    json.write(ctx, 200, itemsOf(namespaces == null ? store.labelValues(key)
        : store.labelValues(key, namespaces), true));
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
