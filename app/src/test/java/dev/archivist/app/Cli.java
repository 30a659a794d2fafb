package dev.archivist.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.AbstractStringAssert;
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

  /**
   * The subcommand {@code args[0]} as the command line parses {@code args}, without running it,
   * for a test to read its options.
   */
  @SuppressWarnings("unchecked")
  static <T> T parse(String... args) {
    CommandLine cl = Main.commandLine(Map.of(), Clock.systemUTC());
    cl.parseArgs(args);
    return (T) cl.getSubcommands().get(args[0]).getCommand();
  }

  /**
   * Asserts that {@code r} is a usage error (exit code {@value ExitCodes#USAGE}), and returns an
   * assertion on its standard error for the caller to say what it must name.
   */
  static AbstractStringAssert<?> assertThatUsageError(Result r) {
    assertThat(r.exitCode()).as("exit code; stderr: %s", r.err()).isEqualTo(ExitCodes.USAGE);
    return assertThat(r.err());
  }

  /**
   * A command line that must be refused before anything starts, as a case of a parameterized
   * test: say what its stderr names with {@link Refusal#says}, then {@link Refusal#check} it.
   */
  static Refusal refusal(String... args) {
    return new Refusal(Map.of(), List.of(args), List.of(), List.of());
  }

  /**
   * See {@link #refusal}: run with {@code env}, {@code args} is a usage error whose stderr says
   * each of {@code says} and none of {@code hides}. It shows as the command line it runs.
   */
  record Refusal(Map<String, String> env, List<String> args, List<String> says,
      List<String> hides) {
    private static final Pattern PLAIN = Pattern.compile("[\\w./:=@,%+-]+");

    Refusal withEnv(String variable, String value) {
      return new Refusal(Map.of(variable, value), args, says, hides);
    }

    Refusal says(String... texts) {
      return new Refusal(env, args, List.of(texts), hides);
    }

    Refusal hides(String... texts) {
      return new Refusal(env, args, says, List.of(texts));
    }

    void check() {
      AbstractStringAssert<?> err = assertThatUsageError(run(env, args.toArray(String[]::new)))
          .as("stderr of %s", this);
      err.contains(says);
      if (!hides.isEmpty()) {
        err.doesNotContain(hides);
      }
    }

    @Override
    public String toString() {
      List<String> words = new ArrayList<>();
      env.forEach((variable, value) -> words.add(variable + "=" + quoted(value)));
      words.add("archivist");
      args.forEach(arg -> words.add(quoted(arg)));
      return String.join(" ", words);
    }

    private static String quoted(String word) {
      return PLAIN.matcher(word).matches() ? word : "'" + word + "'";
    }
  }

  /**
   * Starts a long-running command ({@code run}, {@code serve}, {@code demo}) on another thread,
   * with {@code env}, the system clock and captured output. The caller stops it.
   */
  static Started start(Map<String, String> env, String... args) {
    return new Started(env, args);
  }

  /** A command {@link #start} started: its output so far, its port, and its stop and exit. */
  static final class Started {
    private final String name;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final CompletableFuture<Integer> exit;
    private final RunningCommand command;

    private Started(Map<String, String> env, String... args) {
      CommandLine cl = Main.commandLine(env, Clock.systemUTC());
      cl.setOut(new PrintWriter(out, true));
      cl.setErr(new PrintWriter(err, true));
      name = args[0];
      exit = CompletableFuture.supplyAsync(() -> cl.execute(args));
      command = cl.getSubcommands().get(name).getCommand();
    }

    String out() {
      return out.toString();
    }

    String err() {
      return err.toString();
    }

    boolean exited() {
      return exit.isDone();
    }

    /**
     * Waits up to {@code within} for the line on stderr that says {@code "<announcement> N"},
     * failing at once if the command exits first, and returns the port N.
     */
    int awaitPort(String announcement, Duration within) {
      await().atMost(within).pollInterval(Duration.ofMillis(100))
          .failFast(name + " exited: " + err, exit::isDone)
          .until(() -> err.toString().contains(announcement));
      Matcher m = Pattern.compile(Pattern.quote(announcement) + " (\\d+)").matcher(err.toString());
      assertThat(m.find()).isTrue();
      return Integer.parseInt(m.group(1));
    }

    /** Stops the command as SIGTERM or Ctrl-C would. */
    void stop() {
      command.stop();
    }

    /** The exit code, waiting up to a minute for it. */
    int exitCode() throws Exception {
      return exit.get(60, TimeUnit.SECONDS);
    }
  }
}
