package dev.archivist.workqueue;

import java.time.Duration;
import java.util.Objects;

/**
 * The {@link TokenBucket}: a token count that is refilled lazily, from the time elapsed since it
 * was last refilled, whenever it is used (like Go's {@code golang.org/x/time/rate}).
 *
 * <p>{@code this}'s monitor guards {@code tokens} and {@code refilledAt}; nothing foreign runs
 * under it (the ticker is read before entering it, the sleeper after leaving it). Invariant:
 * {@code tokens <= burst}; it is negative while callers are waiting off a debt.
 */
final class RefillTokenBucket implements TokenBucket {
  private static final double NANOS_PER_SECOND = 1e9;

  private final double qps;
  private final int burst;
  private final Ticker ticker;
  private final Sleeper sleeper;

  /** Guarded by {@code this}. */
  private double tokens;
  /** Guarded by {@code this}. The ticker reading up to which tokens have been added. */
  private long refilledAt;

  RefillTokenBucket(double qps, int burst, Ticker ticker, Sleeper sleeper) {
    if (!(qps >= 0) || Double.isInfinite(qps)) {
      throw new IllegalArgumentException("qps must be a finite number >= 0 (0 = unlimited), got "
          + qps);
    }
    if (qps > 0 && burst < 1) {
      throw new IllegalArgumentException("burst must be >= 1 when qps > 0, got " + burst
          + " (qps " + qps + ")");
    }
    this.qps = qps;
    this.burst = burst;
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.tokens = burst;
    this.refilledAt = ticker.read();
  }

  @Override
  public void acquire(int permits) throws InterruptedException {
    long wait = reserveNanos(permits);
    if (wait <= 0) {
      return;
    }
    try {
      sleeper.sleepNanos(wait);
    } catch (InterruptedException e) {
      giveBack(permits);
      throw e;
    }
  }

  @Override
  public boolean tryAcquire(int permits) {
    checkPermits(permits);
    if (unlimited()) {
      return true;
    }
    long now = ticker.read();
    synchronized (this) {
      refill(now);
      if (tokens < permits) {
        return false;
      }
      tokens -= permits;
      return true;
    }
  }

  @Override
  public Duration reserve(int permits) {
    return Duration.ofNanos(reserveNanos(permits));
  }

  long reserveNanos(int permits) {
    checkPermits(permits);
    if (unlimited()) {
      return 0;
    }
    long now = ticker.read();
    synchronized (this) {
      refill(now);
      tokens -= permits;
      if (tokens >= 0) {
        return 0;
      }
      double nanos = Math.ceil(-tokens * NANOS_PER_SECOND / qps);
      return nanos >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) nanos;
    }
  }

  private synchronized void giveBack(int permits) {
    tokens = Math.min(burst, tokens + permits);
  }

  /** Adds the tokens earned since {@code refilledAt}; a reading older than it adds nothing. */
  private void refill(long now) {
    long elapsed = now - refilledAt;
    if (elapsed <= 0) {
      return;
    }
    refilledAt = now;
    tokens = Math.min(burst, tokens + elapsed * qps / NANOS_PER_SECOND);
  }

  private boolean unlimited() {
    return qps == 0;
  }

  private static void checkPermits(int permits) {
    if (permits < 1) {
      throw new IllegalArgumentException("permits must be >= 1, got " + permits);
    }
  }

  @Override
  public double qps() {
    return qps;
  }

  @Override
  public int burst() {
    return burst;
  }

  @Override
  public synchronized String toString() {
    return "TokenBucket(qps=" + qps + ", burst=" + burst + ", tokens=" + tokens + ")";
  }
}
