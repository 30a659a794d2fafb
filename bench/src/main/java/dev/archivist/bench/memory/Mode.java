package dev.archivist.bench.memory;

import java.util.Locale;

/** The three archiver designs the memory benchmark compares. */
enum Mode {
  /** Archives inside the informer callback, blocking on the rate limiter (Argo up to v3.5). */
  NAIVE,
  /** Full-object informer over all workflows, a key queue, and workers (Argo from v3.6). */
  ARGO,
  /** The product's own {@code ArchiveController}. */
  ARCHIVIST;

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Mode parse(String value) {
    for (Mode m : values()) {
      if (m.label().equals(value)) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "--mode must be naive, argo, archivist or all, got '" + value + "'");
  }
}
