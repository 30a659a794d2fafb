package dev.archivist.workqueue;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes threads that do nothing, so a delaying queue's loop never runs by itself and a test drives
 * it with {@code pump()} after moving a {@link FakeTicker}.
 */
final class InertThreadFactory implements ThreadFactory {
  final AtomicInteger made = new AtomicInteger();

  @Override
  public Thread newThread(Runnable ignored) {
    made.incrementAndGet();
    return new Thread(() -> {}, "inert");
  }
}
