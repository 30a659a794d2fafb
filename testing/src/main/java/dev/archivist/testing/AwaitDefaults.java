package dev.archivist.testing;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives Awaitility's bare {@code await()} a one-minute bound instead of its ten seconds, in every
 * test class of a module that depends on this one (registered through JUnit's extension
 * auto-detection, which the build turns on).
 *
 * <p>What the tests wait for is eventual: a row committed, a label set, an informer synced, on
 * real servers. On a loaded two-core CI machine ten seconds was too short for some of them, and a
 * test failed that would have passed a few seconds later. A condition that never comes still
 * fails, a minute later; a wait that must be shorter or longer says so where it is written.
 */
public final class AwaitDefaults implements BeforeAllCallback {
  /** The bound of an {@code await()} that names none. */
  public static final Duration TIMEOUT = Duration.ofMinutes(1);

  @Override
  public void beforeAll(ExtensionContext context) {
    Awaitility.setDefaultTimeout(TIMEOUT);
  }
}
