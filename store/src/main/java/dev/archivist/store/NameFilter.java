package dev.archivist.store;

/** How {@link ListQuery#name()} matches, as Argo's {@code nameFilter}. */
public enum NameFilter {
  EXACT,
  PREFIX,
  CONTAINS
}
