package dev.archivist.app;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import picocli.CommandLine;

/** Runs the archivist command line in-process with captured output, an environment and a clock. */
final class Cli {
  static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");

  record Result(int exitCode, String out, String err) {}

  private Cli() {}

  static Result run(Map<String, String> env, String... args) {
    return run(env, Clock.fixed(NOW, ZoneOffset.UTC), args);
  }

  static Result run(Map<String, String> env, Clock clock, String... args) {
    CommandLine cl = Main.commandLine(env, clock);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  static Result run(String... args) {
    return run(Map.of(), args);
  }
}
