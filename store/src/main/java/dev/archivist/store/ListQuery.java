package dev.archivist.store;

import dev.archivist.core.LabelSelector;
import java.time.Instant;
import java.util.Objects;

/**
 * A list request. Null fields do not filter.
 *
 * @param namespace only this namespace
 * @param name a name to match with {@code nameFilter}
 * @param nameFilter how {@code name} matches
 * @param selector a label selector; {@link LabelSelector#everything()} for none
 * @param startedAfter startedat at or after this (Argo's {@code spec.startedAt>} includes the bound)
 * @param startedBefore startedat at or before this (as Argo's {@code spec.startedAt<})
 * @param limit how many items at most; capped by the store
 * @param continueToken the {@code continue} of the previous page: an opaque keyset cursor, or an
 *     integer offset as Argo's clients send
 */
public record ListQuery(
    String namespace,
    String name,
    NameFilter nameFilter,
    LabelSelector selector,
    Instant startedAfter,
    Instant startedBefore,
    int limit,
    String continueToken) {

  /** The limit used when a request gives none. */
  public static final int DEFAULT_LIMIT = 50;
  /** The largest limit a request may ask for. */
  public static final int MAX_LIMIT = 1000;

  public ListQuery {
    Objects.requireNonNull(selector, "selector");
    if (nameFilter == null) {
      nameFilter = NameFilter.EXACT;
    }
  }

  public static ListQuery all() {
    return new ListQuery(null, null, NameFilter.EXACT, LabelSelector.everything(), null, null,
        DEFAULT_LIMIT, null);
  }
}
