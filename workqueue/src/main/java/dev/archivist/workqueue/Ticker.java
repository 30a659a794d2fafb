package dev.archivist.workqueue;

/**
 * A source of monotonic nanoseconds, injected wherever the queue or a rate limiter needs time, so
 * tests can drive time by hand.
 *
 * <p>Implementations must be thread-safe, cheap and non-blocking: a ticker may be read by many
 * threads at once. Only differences between two readings are meaningful (as with {@link
 * System#nanoTime()}); compare readings by subtraction, never with {@code <}.
 */
@FunctionalInterface
public interface Ticker {
  /** The current reading in nanoseconds. */
  long read();

  /** The JVM's monotonic clock, {@link System#nanoTime()}. */
  static Ticker system() {
    return System::nanoTime;
  }
}
