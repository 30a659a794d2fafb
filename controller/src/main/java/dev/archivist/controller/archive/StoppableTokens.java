package dev.archivist.controller.archive;

import dev.archivist.workqueue.TokenBucket;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link ArchiveTokens} over a {@link TokenBucket}, whose waiters can be released at shutdown.
 *
 * <p>A worker waiting for archive tokens has not touched the database yet, so abandoning its
 * batch at shutdown loses nothing (the workflows stay unlabelled and are listed again on the next
 * start), while waiting could take longer than the shutdown timeout at a low {@code --archive-qps}.
 * {@link #stop} therefore interrupts exactly the threads inside {@link #take}, and no thread that
 * has left it: a thread is interrupted only by whoever removes it from {@code waiting}, and a
 * thread that finds itself already removed treats its tokens as void and throws.
 *
 * <p>Thread-safe. {@code waiting} holds the threads inside {@code take}; it is a concurrent map
 * and no lock is held while a thread waits or is interrupted.
 */
final class StoppableTokens implements ArchiveTokens {
  private final TokenBucket bucket;
  private final ConcurrentHashMap<Thread, Boolean> waiting = new ConcurrentHashMap<>();
  private volatile boolean stopped;

  StoppableTokens(TokenBucket bucket) {
    this.bucket = Objects.requireNonNull(bucket, "bucket");
  }

  @Override
  public void take(int n) throws InterruptedException {
    Thread me = Thread.currentThread();
    waiting.put(me, Boolean.TRUE);
    boolean claimedByStop;
    try {
      if (stopped) {
        throw new InterruptedException("archive controller is stopping");
      }
      bucket.acquire(n);
    } finally {
      claimedByStop = waiting.remove(me) == null;
    }
    if (claimedByStop) {
      // stop() removed us and interrupts us; the batch is abandoned either way.
      Thread.interrupted();
      throw new InterruptedException("archive controller is stopping");
    }
  }

  @Override
  public void stop() {
    stopped = true;
    for (Thread t : waiting.keySet()) {
      if (waiting.remove(t) != null) {
        t.interrupt();
      }
    }
  }
}
