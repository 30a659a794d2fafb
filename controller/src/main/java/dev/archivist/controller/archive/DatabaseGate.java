package dev.archivist.controller.archive;

import dev.archivist.workqueue.Sleeper;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the workers while the archive database is failing, so that an outage costs one probe
 * at a time instead of every worker re-reading its workflows from the API server and every
 * workflow growing its own backoff. Once a probe answers, every worker goes on at once and the
 * backlog drains at the full archive rate.
 *
 * <p>States: UP (the default) and DOWN. A batch that the database did not commit calls
 * {@link #failed()}: DOWN. A worker that calls {@link #awaitUp()} while DOWN either becomes the
 * one prober (it sleeps the current backoff, then probes, doubling the backoff from
 * {@code base} to {@code max} while the probe fails) or waits until the prober sees the database
 * answer: UP, and all waiters return.
 *
 * <h2>Threads</h2>
 * Workers call every method. {@code lock} guards {@code down}, {@code probing} and
 * {@code backoffNanos}; the probe and the sleep run without it (they block), and waiting on
 * {@code up} releases it.
 */
public final class DatabaseGate {
  private static final Logger log = LoggerFactory.getLogger(DatabaseGate.class);

  private final BooleanSupplier probe;
  private final Sleeper sleeper;
  private final long baseNanos;
  private final long maxNanos;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition up = lock.newCondition();
  private boolean down; // guarded by lock
  private boolean probing; // guarded by lock
  private long backoffNanos; // guarded by lock; the prober's next sleep
  private long probes; // guarded by lock

  /**
   * @param probe true when the database answers now (bounded by its own timeout)
   */
  public DatabaseGate(BooleanSupplier probe, Sleeper sleeper, Duration base, Duration max) {
    this.probe = Objects.requireNonNull(probe, "probe");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.baseNanos = base.toNanos();
    this.maxNanos = max.toNanos();
    this.backoffNanos = baseNanos;
  }

  /** A gate that reopens at once, for tests that do not look at it. */
  static DatabaseGate never() {
    return new DatabaseGate(() -> true, n -> { }, Duration.ZERO, Duration.ZERO);
  }

  /** A batch was not committed because of the database (not because of one row). */
  void failed() {
    lock.lock();
    try {
      if (!down) {
        down = true;
        backoffNanos = baseNanos;
        log.warn("archive controller: the archive database failed; holding the workers and "
            + "probing it, backing off from {} ms to {} ms", baseNanos / 1_000_000,
            maxNanos / 1_000_000);
      }
    } finally {
      lock.unlock();
    }
  }

  /** How many probes were sent; for tests. */
  public long probes() {
    lock.lock();
    try {
      return probes;
    } finally {
      lock.unlock();
    }
  }

  public boolean isDown() {
    lock.lock();
    try {
      return down;
    } finally {
      lock.unlock();
    }
  }

  /** Returns at once while UP; while DOWN, probes or waits until the database answers. */
  void awaitUp() throws InterruptedException {
    while (true) {
      long sleep;
      lock.lock();
      try {
        if (!down) {
          return;
        }
        if (probing) {
          up.await();
          continue;
        }
        probing = true;
        sleep = backoffNanos;
      } finally {
        lock.unlock();
      }
      boolean answered = false;
      try {
        sleeper.sleepNanos(sleep);
        answered = probe.getAsBoolean();
      } finally {
        lock.lock();
        try {
          probing = false;
          probes++;
          if (answered) {
            down = false;
            log.info("archive controller: the archive database answers again; resuming");
          } else {
            backoffNanos = Math.min(maxNanos, backoffNanos * 2);
          }
          up.signalAll();
        } finally {
          lock.unlock();
        }
      }
    }
  }
}
