package dev.archivist.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Starting child JVMs for tests and benches, and ending the processes they started, by their own
 * handles only.
 */
public final class Processes {
  /** How long a killed process may take to be gone before we stop waiting for it. */
  private static final Duration AFTER_KILL = Duration.ofSeconds(10);

  /** Children still running; the shutdown hook kills them if this JVM is stopped first. */
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(
        () -> LIVE.forEach(Process::destroyForcibly), "kill-child-processes"));
  }

  private Processes() {}

  /**
   * Kills {@code process} if it still runs when this JVM exits (a test run or bench stopped
   * with Ctrl-C), so that no child outlives its parent. Returns {@code process}.
   */
  public static Process killOnExit(Process process) {
    LIVE.add(process);
    process.onExit().thenRun(() -> LIVE.remove(process));
    return process;
  }

  /**
   * The command line {@code java <jvmArgs> -cp <this JVM's classpath> <mainClass> <args>}, with
   * this JVM's own {@code java}: a child that runs the code this process runs.
   */
  public static List<String> javaCommand(List<String> jvmArgs, String mainClass,
      List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    return command;
  }

  /**
   * Starts {@code pb} with its standard output and error appended to {@code log}, whose folder is
   * created first. The caller ends the process.
   *
   * @throws UncheckedIOException naming the command, when it cannot be started
   */
  public static Process startLogged(ProcessBuilder pb, Path log) {
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    try {
      Files.createDirectories(log.getParent());
      return pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + pb.command(), e);
    }
  }

  /** The last {@code n} lines of a child's {@code log}, for failure messages; never throws. */
  public static String tail(Path log, int n) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

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
