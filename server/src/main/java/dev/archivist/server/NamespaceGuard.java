package dev.archivist.server;

import dev.archivist.store.ArchiveStore;
import io.javalin.http.Context;
import java.util.Set;
import java.util.TreeSet;

/**
 * The handlers' authorization: may this request's caller act in that namespace, and which
 * namespaces may it list. With an {@link AccessControl} that allows everything, every answer is
 * yes and costs nothing.
 *
 * <p>Which namespaces a caller may list: first one review across all namespaces; when that is
 * allowed, every namespace, with no further cost. Otherwise one review per namespace that has
 * workflows in the archive ({@link ArchiveStore#namespaces()}, one index probe per namespace),
 * each answered from the decision cache when it was asked recently. So the first list of a
 * caller with rights in a few namespaces costs one review per archived namespace, and later
 * ones, within the cache's time to live, none.
 */
final class NamespaceGuard {
  private final AccessControl access;
  private final ArchiveStore store;

  NamespaceGuard(AccessControl access, ArchiveStore store) {
    this.access = access;
    this.store = store;
  }

  /**
   * @throws ApiException 403 naming the caller, verb and {@code where}
   */
  void require(Context ctx, AccessControl.Verb verb, String namespace, String where) {
    AccessControl.Caller caller = AccessFilter.caller(ctx);
    if (!access.allows(caller, verb, namespace)) {
      throw forbidden(caller, verb, where);
    }
  }

  /** Whether the caller may {@code verb} in {@code namespace} (null: all namespaces). */
  boolean allows(Context ctx, AccessControl.Verb verb, String namespace) {
    return access.allows(AccessFilter.caller(ctx), verb, namespace);
  }

  /** The namespaces the caller may list, or null when it may list all of them. */
  Set<String> listable(Context ctx) {
    return listable(AccessFilter.caller(ctx));
  }

  Set<String> listable(AccessControl.Caller caller) {
    if (access.allows(caller, AccessControl.Verb.LIST, null)) {
      return null;
    }
    Set<String> allowed = new TreeSet<>();
    for (String namespace : store.namespaces()) {
      if (access.allows(caller, AccessControl.Verb.LIST, namespace)) {
        allowed.add(namespace);
      }
    }
    return allowed;
  }

  static ApiException forbidden(AccessControl.Caller caller, AccessControl.Verb verb,
      String where) {
    return new ApiException(ErrorCode.PERMISSION_DENIED, "forbidden: \"" + caller.name()
        + "\" may not " + verb.kubernetesVerb() + " " + KubernetesAccess.RESOURCE + "."
        + KubernetesAccess.API_GROUP + " " + where);
  }
}
