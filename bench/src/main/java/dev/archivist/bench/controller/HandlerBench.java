package dev.archivist.bench.controller;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link HandlerBenchmark} with short settings, prints one line per scenario against the
 * 10 µs target, and writes JMH's JSON to the path given as the first argument (default
 * {@code target/bench/handler.json}).
 */
public final class HandlerBench {
  /** The event handler costs at most 10 µs per event; see docs/architecture.md. */
  private static final double TARGET_NANOS = 10_000;

  private HandlerBench() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "target/bench/handler.json");
    Files.createDirectories(out.toAbsolutePath().getParent());
    Options options = new OptionsBuilder()
        .include(HandlerBenchmark.class.getName().replace(".", "\\.") + "\\.")
        .forks(1)
        .warmupIterations(3)
        .warmupTime(TimeValue.seconds(1))
        .measurementIterations(5)
        .measurementTime(TimeValue.seconds(1))
        .resultFormat(ResultFormatType.JSON)
        .result(out.toString())
        .build();
    Collection<RunResult> results = new Runner(options).run();

    System.out.println();
    System.out.println("Event handler cost per event (KeyEnqueuer on the archive queue)");
    System.out.printf(Locale.ROOT, "%-34s %12s %10s %10s%n", "scenario", "ns/event", "± 99.9%",
        "target");
    boolean allMet = true;
    for (RunResult r : results) {
      Result<?> p = r.getPrimaryResult();
      String name = r.getParams().getBenchmark();
      name = name.substring(name.lastIndexOf('.') + 1);
      boolean met = p.getScore() <= TARGET_NANOS;
      allMet &= met;
      System.out.printf(Locale.ROOT, "%-34s %12.1f %10.1f %10s%n", name, p.getScore(),
          p.getScoreError(), met ? "<= 10 us" : "MISSED");
    }
    System.out.println("JSON: " + out.toAbsolutePath());
    System.out.println(allMet ? "every scenario meets the 10 us target"
        : "a scenario misses the 10 us target");
  }
}
