package dev.archivist.bench.e2e;

import dev.archivist.testing.Processes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

/**
 * A measured JVM: its {@code @@HEAP}/{@code @@SAMPLE} lines give the live heap, everything else
 * goes to a log file. Only this process is ever stopped, by its own handle.
 */
public final class Child implements AutoCloseable {
  /** What the JVM prints when it runs out of memory; the command line's -XX flag does not match. */
  private static final String OOM = "java.lang.OutOfMemoryError";

  private final Process process;
  private final Path log;
  private volatile long peakHeap;
  private volatile boolean oom;

  private Child(Process process, Path log) {
    this.process = process;
    this.log = log;
    Thread reader = new Thread(this::pump, "child-stdout");
    reader.setDaemon(true);
    reader.start();
    Processes.killOnExit(process);
  }

  public static Child start(List<String> jvmArgs, String mainClass, List<String> args, Path log) {
    List<String> command = Processes.javaCommand(jvmArgs, mainClass, args);
    try {
      Files.createDirectories(log.getParent());
      Files.writeString(log, String.join(" ", command) + "\n");
      Process p = new ProcessBuilder(command)
          .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
      return new Child(p, log);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + mainClass, e);
    }
  }

  private void pump() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8));
        Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8,
            StandardOpenOption.APPEND)) {
      String line;
      while ((line = in.readLine()) != null) {
        long heap = heapOf(line);
        if (heap >= 0) {
          peakHeap = Math.max(peakHeap, heap);
          continue;
        }
        if (line.contains(OOM)) {
          oom = true;
        }
        out.write(line);
        out.write('\n');
        out.flush();
      }
    } catch (IOException e) {
      // the process is gone; what it printed is in the log
    }
  }

  /**
   * The live heap a protocol line reports: {@code @@HEAP bytes} from {@link SampledMain}, or the
   * second field of the memory benchmark's {@code @@SAMPLE old heap ...}; -1 for other lines.
   */
  static long heapOf(String line) {
    if (line.startsWith("@@HEAP ")) {
      return Long.parseLong(line.substring(7).trim());
    }
    if (line.startsWith("@@SAMPLE ")) {
      String[] f = line.substring(9).trim().split(" ");
      return Long.parseLong(f[1]);
    }
    return -1;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public long peakHeap() {
    return peakHeap;
  }

  /** Whether it ran out of memory (its stdout or log says so). */
  public boolean outOfMemory() {
    if (oom) {
      return true;
    }
    try {
      return Files.readString(log).contains(OOM);
    } catch (IOException e) {
      return false;
    }
  }

  /** User plus system CPU seconds of the process so far, from {@code /proc}; -1 if unknown. */
  public double cpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
      return ticks / 100.0; // USER_HZ is 100 on Linux
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  public Path log() {
    return log;
  }

  /** SIGTERM (the app shuts down gracefully; the Argo-style mode reads STOP), then kill. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    try {
      process.getOutputStream().write("STOP\n".getBytes(StandardCharsets.UTF_8));
      process.getOutputStream().flush();
    } catch (IOException e) {
      // stdin closed already
    }
    process.destroy();
    Processes.awaitOrKill(process, Duration.ofSeconds(40));
  }
}
