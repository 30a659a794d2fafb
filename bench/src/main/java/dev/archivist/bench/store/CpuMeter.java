package dev.archivist.bench.store;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The CPU time one method of writing costs, on a machine that other work shares: this JVM's
 * CPU time (the client) plus that of the database server's processes serving the benchmark's
 * database (the server), read from {@code /proc}. Other processes on the machine, whatever they
 * do, are not counted; nor is the server's shared background work (WAL writer, checkpointer),
 * which no method can be charged for alone.
 *
 * <p>PostgreSQL: every backend whose process title names the database ({@code postgres: ...
 * user db host(port) ...}, autovacuum workers included). A backend's time is read while it
 * lives, by a thread polling every 20 ms, so a connection that closes loses at most its last
 * 20 ms; the poller's own CPU time is left out of the client's. MySQL/MariaDB run every
 * connection as a thread of one process: its whole process is counted, other users included.
 *
 * <p>Linux only: {@link #start} returns null where there is no {@code /proc}.
 */
final class CpuMeter implements AutoCloseable {
  private static final double TICKS_PER_SECOND = 100; // USER_HZ
  private static final Path PROC = Path.of("/proc");

  private final String database;
  private final boolean postgres;
  private final Map<Long, long[]> ticks = new HashMap<>(); // pid -> {first seen, last seen}
  private final Map<Long, Boolean> serving = new HashMap<>();
  private final long clientStartNanos;
  private final Thread poller;
  private volatile boolean running = true;
  private volatile long pollerCpuNanos;

  private CpuMeter(String database, boolean postgres) {
    this.database = database;
    this.postgres = postgres;
    this.clientStartNanos = processCpuNanos();
    poll(true);
    this.poller = new Thread(this::pollUntilClosed, "cpu-meter");
    poller.setDaemon(true);
    poller.start();
  }

  /** Starts measuring, or returns null where /proc cannot be read. */
  static CpuMeter start(String database, boolean postgres) {
    if (!Files.isReadable(PROC.resolve("self/stat")) || processCpuNanos() < 0) {
      return null;
    }
    return new CpuMeter(database, postgres);
  }

  /** CPU seconds so far: {client, server}. */
  double[] seconds() {
    long client = processCpuNanos() - clientStartNanos - pollerCpuNanos;
    long serverTicks = 0;
    synchronized (ticks) {
      for (long[] t : ticks.values()) {
        serverTicks += t[1] - t[0];
      }
    }
    return new double[] {client / 1e9, serverTicks / TICKS_PER_SECOND};
  }

  /** Stops the poller after a last reading; {@link #seconds} stays readable. */
  @Override
  public void close() throws InterruptedException {
    running = false;
    poller.join();
    poll(false);
  }

  private void pollUntilClosed() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    while (running) {
      poll(false);
      pollerCpuNanos = threads.getCurrentThreadCpuTime();
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Reads every serving process's CPU ticks; at the start a process's ticks are its baseline. */
  private void poll(boolean baseline) {
    try (DirectoryStream<Path> pids = Files.newDirectoryStream(PROC, "[0-9]*")) {
      for (Path dir : pids) {
        long pid = Long.parseLong(dir.getFileName().toString());
        Boolean isServing = serving.get(pid);
        if (isServing == null) {
          isServing = serves(dir);
          if (isServing != null) {
            serving.put(pid, isServing);
          }
        }
        if (isServing == null) {
          continue; // a new backend, not yet titled: look again at the next poll
        }
        if (!isServing) {
          continue;
        }
        long t = cpuTicks(dir);
        if (t < 0) {
          continue; // it exited between the listing and the read
        }
        synchronized (ticks) {
          long[] seen = ticks.get(pid);
          if (seen == null) {
            ticks.put(pid, new long[] {baseline ? t : 0, t});
          } else {
            seen[1] = Math.max(seen[1], t);
          }
        }
      }
    } catch (IOException e) {
      // /proc always lists; a process that vanished mid-walk is skipped above
    }
  }

  /**
   * Whether a process serves the database; null when it cannot tell yet: a PostgreSQL backend
   * keeps the postmaster's command line until it has authenticated its client and set its title.
   */
  private Boolean serves(Path dir) {
    try {
      String cmd = new String(Files.readAllBytes(dir.resolve("cmdline")),
          StandardCharsets.UTF_8).replace('\0', ' ').trim();
      if (postgres) {
        if (!cmd.startsWith("postgres: ")) {
          return cmd.contains("postgres") ? null : false;
        }
        for (String word : cmd.split(" ")) {
          if (word.equals(database)) {
            return true;
          }
        }
        return false;
      }
      String exe = cmd.split(" ")[0];
      return exe.endsWith("mariadbd") || exe.endsWith("mysqld");
    } catch (IOException e) {
      return false;
    }
  }

  /** utime + stime of a process, in ticks, or -1 when it is gone. */
  private static long cpuTicks(Path dir) {
    try {
      String stat = Files.readString(dir.resolve("stat"));
      // Fields after the command name, which is in parentheses and may contain spaces.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }
}
