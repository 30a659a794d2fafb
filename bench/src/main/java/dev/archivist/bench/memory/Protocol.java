package dev.archivist.bench.memory;

/**
 * The line protocol between the orchestrator and its child JVMs: a child writes
 * {@code @@<VERB> <fields...>} lines on stdout (anything else there is log output) and reads
 * commands ({@code GO}, {@code STOP}) on stdin.
 */
final class Protocol {
  static final String PREFIX = "@@";

  private Protocol() {}

  /** Writes one protocol line; synchronized on {@code System.out} so lines never interleave. */
  static void emit(String line) {
    synchronized (System.out) {
      System.out.println(PREFIX + line);
      System.out.flush();
    }
  }
}
