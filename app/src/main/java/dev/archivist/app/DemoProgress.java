package dev.archivist.app;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The demo's progress display. On a terminal one line is rewritten in place ({@code \r}) four
 * times a second; otherwise a plain line is printed every {@code logEvery}. Each tick also asks
 * whether the run is complete and, once it is, releases {@link #awaitComplete()}.
 *
 * <p>Threads: one scheduler thread runs every tick and is the only writer of the mutable fields;
 * the command's thread waits on the latch and reads the summary after the ticker stopped.
 */
final class DemoProgress implements AutoCloseable {
  /** What one tick shows. */
  record Snapshot(long archived, long total, long created, long completed, int queueDepth,
      int pending, long failures, boolean complete) {}

  private final PrintWriter out;
  private final boolean console;
  private final Supplier<Snapshot> source;
  private final LongSupplier heapAfterGc;
  private final Clock clock;
  private final Duration logEvery;
  private final Instant started;
  private final CountDownLatch complete = new CountDownLatch(1);
  private final ScheduledExecutorService ticker;

  // Written only by the ticker thread.
  private Instant lastTick;
  private long lastArchived;
  private Instant lastLog;
  private double rate;
  private volatile Instant completedAt;
  private volatile Snapshot last;

  DemoProgress(PrintWriter out, boolean console, Supplier<Snapshot> source,
      LongSupplier heapAfterGc, Clock clock, Duration logEvery) {
    this.out = out;
    this.console = console;
    this.source = source;
    this.heapAfterGc = heapAfterGc;
    this.clock = clock;
    this.logEvery = logEvery;
    this.started = clock.instant();
    this.lastTick = started;
    this.lastLog = started;
    this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "demo-progress");
      t.setDaemon(true);
      return t;
    });
  }

  void start() {
    ticker.scheduleAtFixedRate(this::tickSafely, 250, 250, TimeUnit.MILLISECONDS);
  }

  /** Blocks until a tick saw the run complete, or {@link #release()} was called. */
  void awaitComplete() throws InterruptedException {
    complete.await();
  }

  /** Lets {@link #awaitComplete()} return (used on shutdown). */
  void release() {
    complete.countDown();
  }

  boolean isComplete() {
    return completedAt != null;
  }

  Snapshot lastSnapshot() {
    return last;
  }

  /** From the start to the tick that saw completion (or now). */
  Duration elapsed() {
    Instant end = completedAt != null ? completedAt : clock.instant();
    return Duration.between(started, end);
  }

  // The scheduler's boundary: a failing source must not kill the ticker silently.
  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException e) {
      out.println();
      out.println("demo: progress failed: " + Main.describe(e));
      out.flush();
    }
  }

  void tick() {
    Snapshot s = source.get();
    last = s;
    Instant now = clock.instant();
    double seconds = Duration.between(lastTick, now).toMillis() / 1000.0;
    if (seconds > 0) {
      double instant = (s.archived() - lastArchived) / seconds;
      rate = rate == 0 ? instant : 0.7 * rate + 0.3 * instant;
    }
    lastTick = now;
    lastArchived = s.archived();
    String line = line(s, rate, heapAfterGc.getAsLong());
    if (console) {
      out.print("\r" + line + "   ");
      out.flush();
    } else if (!Duration.between(lastLog, now).minus(logEvery).isNegative()
        || (s.complete() && completedAt == null)) {
      out.println("demo: " + line);
      out.flush();
      lastLog = now;
    }
    if (s.complete() && completedAt == null) {
      completedAt = now;
      if (console) {
        out.println();
        out.flush();
      }
      complete.countDown();
    }
  }

  /** One progress line: archived/total, rate, queue depth, pending, failures, heap after GC. */
  static String line(Snapshot s, double ratePerSecond, long heapBytes) {
    return String.format(Locale.ROOT,
        "archived %d/%d  %.0f/s  |  generated %d, completed %d  |  queue %d, pending %d,"
            + " failures %d  |  heap after GC %d MiB",
        s.archived(), s.total(), ratePerSecond, s.created(), s.completed(), s.queueDepth(),
        s.pending(), s.failures(), heapBytes >> 20);
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    try {
      ticker.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    release();
  }
}
