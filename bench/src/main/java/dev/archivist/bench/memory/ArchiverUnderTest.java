package dev.archivist.bench.memory;

/** One design under test, running in the measured JVM. */
interface ArchiverUnderTest extends AutoCloseable {
  /** Starts watching and archiving; returns once the informers have synced. */
  void start() throws Exception;

  /** Workflows this archiver has committed to the database so far. Thread-safe. */
  long archived();

  /**
   * Informer notifications received but not yet handled, where the design lets them queue up
   * (the naive mode); -1 where it does not apply.
   */
  default long pendingEvents() {
    return -1;
  }

  @Override
  void close();
}
