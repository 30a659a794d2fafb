package dev.archivist.bench.memory;

import dev.archivist.testing.Processes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A child JVM the orchestrator started: its protocol lines go to a handler, everything else it
 * prints goes to a log file, and it can be told things on stdin, waited for with a bound, and
 * killed. Only processes started here are ever destroyed, by their own handle.
 *
 * <p>One reader thread per child calls the handler; the handler must be thread-safe with respect
 * to the orchestrator's thread.
 */
final class ChildJvm implements AutoCloseable {
  private final String name;
  private final Process process;
  private final PrintWriter stdin;
  private final Path log;
  private final Thread reader;
  private volatile String lastNonProtocolLine = "";
  private volatile String oomLine;

  private ChildJvm(String name, Process process, Path log, Consumer<String> onProtocolLine) {
    this.name = name;
    this.process = process;
    this.log = log;
    Processes.killOnExit(process);
    OutputStream out = process.getOutputStream();
    this.stdin = new PrintWriter(out, true, StandardCharsets.UTF_8);
    this.reader = new Thread(() -> pump(onProtocolLine), "child-" + name);
    this.reader.setDaemon(true);
    this.reader.start();
  }

  /** Starts {@code java <jvmArgs> -cp <classpath> <mainClass> <args>}. */
  static ChildJvm start(String name, List<String> jvmArgs, String mainClass, List<String> args,
      Path logDir, Consumer<String> onProtocolLine) {
    List<String> command = Processes.javaCommand(jvmArgs, mainClass, args);
    Path log = logDir.resolve("memory-" + name + ".log");
    try {
      Files.createDirectories(logDir);
      Files.writeString(log, String.join(" ", command.subList(0, command.size())) + "\n");
      ProcessBuilder pb = new ProcessBuilder(command)
          .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
      return new ChildJvm(name, pb.start(), log, onProtocolLine);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the " + name + " JVM", e);
    }
  }

  private void pump(Consumer<String> onProtocolLine) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8));
        var logOut = Files.newBufferedWriter(log, StandardCharsets.UTF_8,
            java.nio.file.StandardOpenOption.APPEND)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith(Protocol.PREFIX)) {
          onProtocolLine.accept(line.substring(Protocol.PREFIX.length()));
        } else {
          if (line.contains("OutOfMemoryError")) {
            oomLine = line.trim();
          }
          lastNonProtocolLine = line;
          logOut.write(line);
          logOut.newLine();
          logOut.flush();
        }
      }
    } catch (IOException e) {
      lastNonProtocolLine = "(stdout of " + name + " failed: " + e + ")";
    }
  }

  /**
   * Writes the live-object histogram of this JVM ({@code jcmd <pid> GC.class_histogram}, top 60
   * lines) next to its log, to explain what a mode's heap holds at the end. Best effort, bounded.
   */
  void writeHistogram(Path file) {
    if (!process.isAlive()) {
      return;
    }
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Process p = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()),
          "GC.class_histogram").redirectErrorStream(true).start();
      List<String> lines = new ArrayList<>();
      try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          if (lines.size() < 60) {
            lines.add(line);
          }
        }
      }
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      Files.write(file, lines, StandardCharsets.UTF_8);
    } catch (IOException e) {
      lastNonProtocolLine = "(no histogram: " + e + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void send(String line) {
    stdin.println(line);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** The exit code, if it has exited. */
  Optional<Integer> exitCode() {
    return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
  }

  /**
   * The line the JVM printed when it ran out of memory, from its stdout (where
   * {@code -XX:+ExitOnOutOfMemoryError} writes) or its log file.
   */
  Optional<String> oomLine() {
    if (oomLine != null) {
      return Optional.of(oomLine);
    }
    try {
      return Files.readAllLines(log, StandardCharsets.UTF_8).stream()
          .filter(l -> l.contains("OutOfMemoryError")).findFirst().map(String::trim);
    } catch (IOException | UncheckedIOException e) {
      return Optional.empty();
    }
  }

  Path log() {
    return log;
  }

  String name() {
    return name;
  }

  /** Waits for the reader to see the end of stdout (after the process died). */
  void awaitOutput(Duration timeout) throws InterruptedException {
    reader.join(timeout.toMillis());
  }

  /** Asks it to stop, waits up to {@code grace}, then kills it. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    send("STOP");
    Processes.awaitOrKill(process, Duration.ofSeconds(15));
  }

  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
