package dev.archivist.testing;

import java.security.SecureRandom;
import java.util.Locale;

/**
 * Names of per-class schemas: {@code t_<epoch seconds>_<test class>_<random>}. The time in the
 * name lets a later run drop what a killed run left behind, without touching schemas that a
 * concurrent run (another module, another worktree) is still using.
 */
final class SchemaNames {
  static final String PREFIX = "t_";
  /** Schemas older than this are leftovers from killed runs. */
  static final long STALE_AFTER_SECONDS = 6 * 3600;
  private static final SecureRandom RANDOM = new SecureRandom();

  private SchemaNames() {}

  static String newName(Class<?> testClass, long epochSeconds) {
    String cls = testClass.getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    if (cls.length() > 24) {
      cls = cls.substring(0, 24);
    }
    return PREFIX + epochSeconds + "_" + cls + "_" + Long.toString(RANDOM.nextLong() >>> 1, 36);
  }

  /** Whether {@code name} is one of ours and older than {@link #STALE_AFTER_SECONDS}. */
  static boolean isStale(String name, long nowEpochSeconds) {
    if (!name.startsWith(PREFIX)) {
      return false;
    }
    int end = name.indexOf('_', PREFIX.length());
    if (end < 0) {
      return false;
    }
    try {
      long created = Long.parseLong(name.substring(PREFIX.length(), end));
      return nowEpochSeconds - created > STALE_AFTER_SECONDS;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
