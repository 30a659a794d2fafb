package dev.archivist.workqueue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A ticker that moves only when a test says so. Starts far from zero to catch absolute use. */
final class FakeTicker implements Ticker {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);

  @Override
  public long read() {
    return nanos.get();
  }

  FakeTicker advance(Duration d) {
    nanos.addAndGet(d.toNanos());
    return this;
  }

  FakeTicker advanceNanos(long n) {
    nanos.addAndGet(n);
    return this;
  }
}
