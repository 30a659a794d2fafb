package dev.archivist.controller.archive;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bound on the bytes of workflows that the workers have read and not yet committed, whatever
 * the backlog and the workflows' size: what keeps the heap flat when a restart finds thousands of
 * large workflows waiting.
 *
 * <p>Between the read of a batch and its commit, each workflow is held whole: as the parsed
 * tree, then as the document written. Without a bound, that window is workers x pages x size
 * (8 x 50 x 64 KiB is 25 MiB of JSON, several times that once parsed), which alone exceeds a
 * small heap. With it, a worker {@linkplain #reserve reserves} what its reads will probably take
 * before sending them, sized with the running {@linkplain #average average} of the workflows
 * read so far, and waits while the others hold the budget; the reader asks for smaller pages
 * when workflows are large ({@link #pageLimit}). The reservation is released at the commit: the
 * label PATCHes that follow, the slow part under {@code --kube-qps}, hold no workflow.
 *
 * <p>The bound is soft: the estimate is corrected once the batch is prepared
 * ({@link Reservation#resize}), which may take the total over the capacity for a moment, and a
 * worker may always proceed when nothing else is reserved, so that one workflow larger than the
 * budget is still archived. The workers never deadlock on it: a worker reserves once per batch,
 * and a holder waits for nothing that waits on the budget.
 *
 * <h2>Threads</h2>
 * The workers call {@link #reserve} and the reservation's methods. {@code lock} guards
 * {@code used}; nothing else runs under it. {@code average} is a lone volatile-like atomic.
 */
final class ReadBudget {
  /** What a workflow is assumed to weigh until one has been read. */
  static final long INITIAL_AVERAGE = 64 * 1024;

  private final long capacity;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition freed = lock.newCondition();
  /** Bytes reserved now; may exceed {@code capacity} after a {@code resize}. */
  private long used; // guarded by lock
  private final AtomicLong average = new AtomicLong(INITIAL_AVERAGE);

  /** @param capacity bytes of workflow JSON that may be between read and commit at once */
  ReadBudget(long capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("read budget must be at least 1 byte, got " + capacity);
    }
    this.capacity = capacity;
  }

  /** No bound: every reservation is granted at once (tests without a heap to protect). */
  static ReadBudget unbounded() {
    return new ReadBudget(Long.MAX_VALUE / 4);
  }

  /**
   * The budget for a JVM of {@code maxHeapBytes}: a sixty-fourth of it, so that the workflows in
   * flight, parsed and serialized (several times their JSON), stay a small part of the heap
   * (at {@code -Xmx128m}: 2 MiB, pages of 16 workflows of 64 KiB).
   */
  static ReadBudget forHeap(long maxHeapBytes) {
    return new ReadBudget(Math.max(1024 * 1024, maxHeapBytes / 64));
  }

  long capacity() {
    return capacity;
  }

  /** The running average size of a workflow read, in bytes of JSON. */
  long average() {
    return average.get();
  }

  /**
   * How many workflows one of {@code pages} pages may ask for: at most {@code pageSize}, at least
   * one, and together no more than half the budget, so that two workers can read while others
   * commit.
   */
  int pageLimit(int pageSize, int pages) {
    long fit = capacity / 2 / Math.max(1, pages) / Math.max(1, average());
    return (int) Math.max(1, Math.min(pageSize, fit));
  }

  /** Feeds the average with {@code count} workflows of {@code bytes} in all. */
  void observe(long bytes, int count) {
    if (count <= 0) {
      return;
    }
    long batchAverage = Math.max(1, bytes / count);
    // An exponential average that follows a change of size within a few batches.
    average.updateAndGet(a -> Math.max(1, (a * 3 + batchAverage) / 4));
  }

  /**
   * Reserves {@code bytes}, waiting while they do not fit beside what others hold (and something
   * is held).
   *
   * @throws InterruptedException while waiting; nothing is reserved then
   */
  Reservation reserve(long bytes) throws InterruptedException {
    long want = Math.max(0, bytes);
    lock.lockInterruptibly();
    try {
      while (used > 0 && used + want > capacity) {
        freed.await();
      }
      used += want;
    } finally {
      lock.unlock();
    }
    return new Reservation(want);
  }

  /** Bytes reserved now; for tests and diagnostics. */
  long used() {
    lock.lock();
    try {
      return used;
    } finally {
      lock.unlock();
    }
  }

  private void give(long delta) {
    lock.lock();
    try {
      used += delta;
      if (delta < 0) {
        freed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** What one batch holds of the budget; {@link #release} is idempotent and final. */
  final class Reservation {
    private static final long RELEASED = -1;
    /** Bytes held, or {@code RELEASED}. */
    private final AtomicLong held;

    private Reservation(long bytes) {
      this.held = new AtomicLong(bytes);
    }

    /** Replaces the estimate with what the batch really holds; never waits. */
    void resize(long bytes) {
      long now = Math.max(0, bytes);
      while (true) {
        long before = held.get();
        if (before == RELEASED) {
          return;
        }
        if (held.compareAndSet(before, now)) {
          if (before != now) {
            give(now - before);
          }
          return;
        }
      }
    }

    /** Gives the bytes back; later calls, and later resizes, do nothing. */
    void release() {
      long before = held.getAndSet(RELEASED);
      if (before > 0) {
        give(-before);
      }
    }

    /** Bytes held now (0 once released). */
    long held() {
      return Math.max(0, held.get());
    }
  }
}
