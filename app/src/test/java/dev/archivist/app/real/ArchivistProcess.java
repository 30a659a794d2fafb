package dev.archivist.app.real;

import dev.archivist.testing.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code archivist run} as a process of its own, the way it runs in a pod: its own JVM, flags,
 * a kubeconfig file, and a SIGKILL that nothing inside can soften. Its output goes to a log file
 * under {@code target/real-api/}; the HTTP port is read from the line it prints once running.
 *
 * <p>Only processes started here are ever killed, by their own handle; a shutdown hook kills
 * those still running if the test JVM stops first.
 */
public final class ArchivistProcess implements AutoCloseable {
  private static final Pattern PORT = Pattern.compile("the API is on port (\\d+)");
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  private final String name;
  private final Process process;
  private final Path log;

  private ArchivistProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
    Processes.killOnExit(process);
  }

  /**
   * Starts {@code archivist run --http-port 0 --bind-address 127.0.0.1 <args>} with
   * {@code -Xmx<heap>}; {@code env} is added to this JVM's environment.
   */
  public static ArchivistProcess start(String name, String heap, List<String> args,
      Map<String, String> env, Path logDir) {
    List<String> runArgs = new ArrayList<>(
        List.of("run", "--http-port", "0", "--bind-address", "127.0.0.1"));
    runArgs.addAll(args);
    List<String> command = Processes.javaCommand(
        List.of("-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError"), "dev.archivist.app.Main", runArgs);
    Path log = logDir.resolve(name + ".log");
    try {
      Files.createDirectories(logDir);
      Files.writeString(log, String.join(" ", command) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the log of archivist " + name, e);
    }
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().putAll(env);
    return new ArchivistProcess(name, Processes.startLogged(pb, log), log);
  }

  String name() {
    return name;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /** The HTTP port, once the process printed it; -1 before. */
  public int port() {
    Matcher m = PORT.matcher(output());
    return m.find() ? Integer.parseInt(m.group(1)) : -1;
  }

  /** Everything it printed so far. */
  public String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  /** The last lines it printed, for assertion messages. */
  public String tail() {
    return name + " (" + log + "):\n" + Processes.tail(log, 25);
  }

  /** The value of a Prometheus series from {@code /metrics} (sum over label sets), or 0. */
  public double metric(String series) {
    int port = port();
    if (port < 0 || !process.isAlive()) {
      return 0;
    }
    String body;
    try {
      body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
          + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
    double sum = 0;
    for (String line : body.split("\n")) {
      if (line.startsWith(series + " ") || line.startsWith(series + "{")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  /** Fails, with the end of its output, if the process has exited. */
  public void assertAlive() {
    if (!process.isAlive()) {
      throw new AssertionError("archivist " + name + " exited with " + process.exitValue()
          + ": " + tail());
    }
  }

  /** SIGKILL, as the kernel's OOM killer or a node failure would; waits until it is gone. */
  void kill() {
    process.destroyForcibly();
    awaitExit(Duration.ofSeconds(30));
  }

  /** SIGTERM, as Kubernetes stops a pod; waits up to {@code timeout}, then kills. */
  void stop(Duration timeout) {
    process.destroy();
    if (!awaitExit(timeout)) {
      kill();
    }
  }

  private boolean awaitExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      stop(Duration.ofSeconds(20));
    }
  }
}
