package dev.archivist.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Ending child processes that tests and benches started, by their own handles only. */
public final class Processes {
  /** How long a killed process may take to be gone before we stop waiting for it. */
  private static final Duration AFTER_KILL = Duration.ofSeconds(10);

  private Processes() {}

  /**
   * Gives {@code process}, already asked to stop (SIGTERM, or a line on its stdin), up to
   * {@code grace} to exit, then kills it and waits a little more. An interrupt kills it at once
   * and leaves the thread's interrupt flag set. Never throws for a process that will not die:
   * callers are closing, and a leftover is the shutdown hook's to kill.
   */
  public static void awaitOrKill(Process process, Duration grace) {
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(AFTER_KILL.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
