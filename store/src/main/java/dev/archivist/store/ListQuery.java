package dev.archivist.store;

import dev.archivist.core.LabelSelector;
import java.time.Instant;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A list request. Null fields do not filter.
 *
 * @param namespace only this namespace
 * @param name a name to match with {@code nameFilter}
 * @param nameFilter how {@code name} matches
 * @param selector a label selector; {@link LabelSelector#everything()} for none
 * @param startedAfter startedat at or after this (Argo's {@code spec.startedAt>} includes the
 *     bound)
 * @param startedBefore startedat at or before this (as Argo's {@code spec.startedAt<})
 * @param limit how many items at most; capped by the store
 * @param continueToken the {@code continue} of the previous page: an opaque keyset cursor, or an
 *     integer offset as Argo's clients send
 * @param namespaces only these namespaces (an empty set matches nothing), or null for any; the
 *     server sets it to what the caller may see, and it narrows {@code namespace} further
 */
public record ListQuery(
    String namespace,
    String name,
    NameFilter nameFilter,
    LabelSelector selector,
    Instant startedAfter,
    Instant startedBefore,
    int limit,
    String continueToken,
    Set<String> namespaces) {

  /** The limit used when a request gives none. */
  public static final int DEFAULT_LIMIT = 50;
  /** The largest limit a request may ask for. */
  public static final int MAX_LIMIT = 1000;

  public ListQuery {
    Objects.requireNonNull(selector, "selector");
    if (nameFilter == null) {
      nameFilter = NameFilter.EXACT;
    }
    if (namespaces != null) {
      namespaces = Collections.unmodifiableSortedSet(new TreeSet<>(namespaces));
    }
  }

  /** A request over every namespace. */
  public ListQuery(String namespace, String name, NameFilter nameFilter, LabelSelector selector,
      Instant startedAfter, Instant startedBefore, int limit, String continueToken) {
    this(namespace, name, nameFilter, selector, startedAfter, startedBefore, limit,
        continueToken, null);
  }

  public static ListQuery all() {
    return new ListQuery(null, null, NameFilter.EXACT, LabelSelector.everything(), null, null,
        DEFAULT_LIMIT, null);
  }

  /** The same request, narrowed to {@code newNamespaces} (null: any namespace). */
  public ListQuery withNamespaces(Set<String> newNamespaces) {
    return new ListQuery(namespace, name, nameFilter, selector, startedAfter, startedBefore,
        limit, continueToken, newNamespaces);
  }
}
