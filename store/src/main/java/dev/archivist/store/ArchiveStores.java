package dev.archivist.store;

/** Placeholder until issue 3 lands the JDBC store. */
final class ArchiveStores {
  private ArchiveStores() {}

  static ArchiveStore open(StoreConfig config) {
    throw new IllegalStateException("the JDBC archive store is not built yet");
  }
}
