package dev.archivist.server.ui;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the Playwright scripts in {@code ui-tests/} with Node against a running server:
 * {@code node ui-tests/<script> <baseUrl> <screenshotDir> [args]}.
 *
 * <p>Threads: the calling test thread waits for the process with a bound; one daemon thread reads
 * the process's merged output into a synchronized list until end of stream. On timeout the
 * process and its descendants (Chromium) are killed, so nothing outlives the test.
 */
final class BrowserScript {
  static final Path CHROMIUM = Paths.get("/usr/bin/chromium");

  /** What the script did: its exit code (-1 after a timeout) and every line it printed. */
  record Result(int exitCode, boolean timedOut, List<String> lines) {
    String output() {
      return String.join("\n", lines);
    }
  }

  private BrowserScript() {}

  /** The repository root: Maven passes it; running from the IDE in {@code server/} also works. */
  static Path repoRoot() {
    String root = System.getProperty("archivist.repo.root");
    Path path = root != null ? Paths.get(root) : Paths.get("").toAbsolutePath().getParent();
    return path.toAbsolutePath().normalize();
  }

  /** Where the screenshots go: {@code server/target/ui-screenshots/<sub>}. */
  static Path screenshotDir(String sub) {
    return repoRoot().resolve("server/target/ui-screenshots").resolve(sub);
  }

  /**
   * Skips the calling test, saying what is missing and how to get it, unless Chromium, Node and
   * {@code ui-tests/node_modules/playwright-core} are all there.
   */
  static Path assumeToolsPresent() {
    assumeTrue(Files.isExecutable(CHROMIUM),
        "browser test skipped: " + CHROMIUM + " is missing (apt-get install chromium)");
    Path node = assumeNodePresent();
    Path playwright = repoRoot().resolve("ui-tests/node_modules/playwright-core");
    assumeTrue(Files.isDirectory(playwright),
        "browser test skipped: " + playwright + " is missing (cd ui-tests && npm ci)");
    return node;
  }

  /** Skips the calling test, saying so, unless {@code node} is on the PATH; returns it. */
  static Path assumeNodePresent() {
    Path node = findOnPath("node");
    assumeTrue(node != null, "test skipped: no `node` on the PATH (apt-get install nodejs)");
    return node;
  }

  private static Path findOnPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Paths.get(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  static Result run(Path node, String script, String baseUrl, Path screenshotDir,
      Duration timeout, String... extraArgs) {
    try {
      Files.createDirectories(screenshotDir);
    } catch (IOException e) {
      throw new UncheckedIOException("could not create " + screenshotDir, e);
    }
    List<String> args = new ArrayList<>(List.of(
        repoRoot().resolve("ui-tests").resolve(script).toString(), baseUrl,
        screenshotDir.toString()));
    args.addAll(List.of(extraArgs));
    return runNode(node, args, timeout);
  }

  /** {@code node <args>} in {@code ui-tests/}, bounded by {@code timeout}. */
  static Result runNode(Path node, List<String> args, Duration timeout) {
    List<String> command = new ArrayList<>();
    command.add(node.toString());
    command.addAll(args);
    String script = String.join(" ", args);
    Process process;
    try {
      process = new ProcessBuilder(command)
          .directory(repoRoot().resolve("ui-tests").toFile())
          .redirectErrorStream(true)
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + command, e);
    }
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    Thread reader = new Thread(() -> readLines(process, lines), "browser-script-output");
    reader.setDaemon(true);
    reader.start();
    boolean finished;
    try {
      finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!finished) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      reader.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + script, e);
    }
    List<String> copy;
    synchronized (lines) {
      copy = List.copyOf(lines);
    }
    return new Result(finished ? process.exitValue() : -1, !finished, copy);
  }

  private static void readLines(Process process, List<String> lines) {
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        // Surefire sends this to target/surefire-reports/*-output.txt, for diagnosis.
        System.out.println("[ui] " + line);
        lines.add(line);
      }
    } catch (IOException e) {
      lines.add("(output unreadable: " + e + ")");
    }
  }
}
