package dev.archivist.workqueue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The deduplicating FIFO at the bottom of every queue (client-go's {@code queue.go}).
 *
 * <h2>Concurrency</h2>
 *
 * <p>Any number of producer threads call {@link #add}; any number of workers call {@link #get},
 * {@link #tryGet} and {@link #done}; a metrics scraper reads the {@link QueueGauges}. One {@link
 * ReentrantLock}, {@code lock}, guards {@code queue}, {@code dirty}, {@code processing} and {@code
 * shuttingDown}. Only this class's own bookkeeping runs under it: the ticker is read before taking
 * it and {@link QueueMetrics} is called after releasing it.
 *
 * <p>Invariants, true whenever {@code lock} is free:
 *
 * <ul>
 *   <li>Every element of {@code queue} is a key of {@code dirty} and is not in {@code processing};
 *       {@code queue} holds no duplicates.
 *   <li>A key of {@code dirty} that is not in {@code queue} is in {@code processing} (added again
 *       while being processed; {@link #done} queues it).
 *   <li>An item is in {@code processing} from the {@code get} that took it until its {@code done}:
 *       that is what keeps two workers off the same item.
 *   <li>Once {@code shuttingDown}, {@code queue} and {@code dirty} are empty and stay empty;
 *       {@code processing} only shrinks.
 *   <li>{@code depth == queue.size()}.
 * </ul>
 *
 * <p>{@code startedAt} is outside the lock: an entry is written and removed only by the worker
 * holding the item (between {@code get} and {@code done}), and the gauges only read it.
 */
final class BasicWorkQueue<T> implements WorkQueue<T>, QueueGauges {
  /** What {@link #admit} did, decided under the lock and reported to metrics after it. */
  enum Admission {
    QUEUED,
    /** Already pending: nothing changed. */
    ALREADY_PENDING,
    /** Being processed: marked dirty, {@code done} will queue it. */
    DEFERRED,
    DROPPED,
    SHUT_DOWN
  }

  private final Ticker ticker;
  private final QueueMetrics metrics;
  /** Maximum number of keys in {@code dirty} that {@link #add} admits. */
  private final int capacity;

  private final ReentrantLock lock = new ReentrantLock();
  /** Signalled when {@code queue} gains an item or the queue shuts down. */
  private final Condition readyOrShutDown = lock.newCondition();
  /** Signalled when {@code processing} becomes empty. */
  private final Condition idle = lock.newCondition();

  /** Guarded by {@code lock}. Items ready to be taken, oldest first. */
  private final ArrayDeque<T> queue = new ArrayDeque<>();
  /**
   * Guarded by {@code lock}. Pending items mapped to the ticker reading when they became pending.
   */
  private final HashMap<T, Long> dirty = new HashMap<>();
  /** Guarded by {@code lock}. Items taken by a worker and not yet done. */
  private final HashSet<T> processing = new HashSet<>();
  /** Written under {@code lock}; volatile so {@link #isShuttingDown} needs no lock. */
  private volatile boolean shuttingDown;

  /** Written under {@code lock}; read without it by the depth gauge. */
  private volatile int depth;
  /** Ticker reading at which each item being processed was taken. See the class comment. */
  private final ConcurrentHashMap<T, Long> startedAt = new ConcurrentHashMap<>();

  BasicWorkQueue(Ticker ticker, QueueMetrics metrics, int capacity) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
    }
    this.capacity = capacity;
  }

  @Override
  public boolean add(T item) {
    return admit(item, true);
  }

  /**
   * Queues an item that was admitted before (a retry coming out of the delaying layer): the
   * capacity does not apply, so a retry is never dropped.
   */
  boolean readmit(T item) {
    return admit(item, false);
  }

  private boolean admit(T item, boolean bounded) {
    Objects.requireNonNull(item, "item");
    long now = ticker.read();
    Admission admission;
    lock.lock();
    try {
      admission = admitLocked(item, now, bounded);
    } finally {
      lock.unlock();
    }
    switch (admission) {
      case QUEUED:
      case DEFERRED:
        metrics.added();
        return true;
      case ALREADY_PENDING:
        return true;
      case DROPPED:
        metrics.dropped();
        return false;
      default:
        return false;
    }
  }

  private Admission admitLocked(T item, long now, boolean bounded) {
    if (shuttingDown) {
      return Admission.SHUT_DOWN;
    }
    if (dirty.containsKey(item)) {
      return Admission.ALREADY_PENDING;
    }
    if (bounded && dirty.size() >= capacity) {
      return Admission.DROPPED;
    }
    dirty.put(item, now);
    if (processing.contains(item)) {
      return Admission.DEFERRED;
    }
    enqueueLocked(item);
    return Admission.QUEUED;
  }

  private void enqueueLocked(T item) {
    queue.addLast(item);
    depth = queue.size();
    readyOrShutDown.signal();
  }

  @Override
  public T get() throws InterruptedException {
    T item;
    long pendingSince;
    lock.lockInterruptibly();
    try {
      while (queue.isEmpty() && !shuttingDown) {
        readyOrShutDown.await();
      }
      if (queue.isEmpty()) {
        return null;
      }
      item = queue.pollFirst();
      pendingSince = takeLocked(item);
    } finally {
      lock.unlock();
    }
    started(item, pendingSince);
    return item;
  }

  @Override
  public T tryGet() {
    T item;
    long pendingSince;
    lock.lock();
    try {
      item = queue.pollFirst();
      if (item == null) {
        return null;
      }
      pendingSince = takeLocked(item);
    } finally {
      lock.unlock();
    }
    started(item, pendingSince);
    return item;
  }

  /** Moves a just-polled item from pending to processing; returns when it became pending. */
  private long takeLocked(T item) {
    depth = queue.size();
    processing.add(item);
    return dirty.remove(item);
  }

  private void started(T item, long pendingSince) {
    long now = ticker.read();
    startedAt.put(item, now);
    metrics.queueDuration(now - pendingSince);
  }

  @Override
  public void done(T item) {
    Objects.requireNonNull(item, "item");
    long now = ticker.read();
    Long start = startedAt.remove(item);
    lock.lock();
    try {
      if (!processing.remove(item)) {
        return;
      }
      if (dirty.containsKey(item)) {
        enqueueLocked(item);
      }
      if (processing.isEmpty()) {
        idle.signalAll();
      }
    } finally {
      lock.unlock();
    }
    if (start != null) {
      metrics.workDuration(now - start);
    }
  }

  @Override
  public int len() {
    return depth;
  }

  @Override
  public void shutDown() {
    lock.lock();
    try {
      shutDownLocked();
    } finally {
      lock.unlock();
    }
  }

  private void shutDownLocked() {
    shuttingDown = true;
    queue.clear();
    dirty.clear();
    depth = 0;
    readyOrShutDown.signalAll();
  }

  @Override
  public void shutDownWithDrain() throws InterruptedException {
    lock.lock();
    try {
      shutDownLocked();
      while (!processing.isEmpty()) {
        idle.await();
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean shutDownWithDrain(Duration timeout) throws InterruptedException {
    Objects.requireNonNull(timeout, "timeout");
    long left = saturatedNanos(timeout);
    lock.lock();
    try {
      shutDownLocked();
      while (!processing.isEmpty()) {
        if (left <= 0) {
          return false;
        }
        // The condition's own clock bounds this wait: it is a real-time bound by contract, and
        // a fake ticker must not be able to turn it into a hang.
        left = idle.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean isShuttingDown() {
    return shuttingDown;
  }

  @Override
  public int depth() {
    return depth;
  }

  @Override
  public double unfinishedWorkSeconds() {
    long now = ticker.read();
    long total = 0;
    for (long start : startedAt.values()) {
      total += Math.max(0, now - start);
    }
    return total / 1e9;
  }

  @Override
  public double longestRunningProcessorSeconds() {
    long now = ticker.read();
    long longest = 0;
    for (long start : startedAt.values()) {
      longest = Math.max(longest, now - start);
    }
    return longest / 1e9;
  }

  /** Number of items being processed; for tests. */
  int processingCount() {
    lock.lock();
    try {
      return processing.size();
    } finally {
      lock.unlock();
    }
  }

  /** Whether the calling thread holds this queue's lock; tests assert it never does in metrics. */
  boolean lockHeldByCurrentThread() {
    return lock.isHeldByCurrentThread();
  }

  /** {@code duration} in nanoseconds, saturating at about 292 years instead of overflowing. */
  static long saturatedNanos(Duration duration) {
    if (duration.compareTo(MAX_NANOS) >= 0) {
      return Long.MAX_VALUE;
    }
    if (duration.compareTo(MIN_NANOS) <= 0) {
      return Long.MIN_VALUE;
    }
    return duration.toNanos();
  }

  private static final Duration MAX_NANOS = Duration.ofNanos(Long.MAX_VALUE);
  private static final Duration MIN_NANOS = Duration.ofNanos(Long.MIN_VALUE);

  @Override
  public String toString() {
    lock.lock();
    try {
      return "WorkQueue(queued=" + queue.size() + ", pending=" + dirty.size() + ", processing="
          + processing.size() + ", capacity=" + capacity + ", shuttingDown=" + shuttingDown + ")";
    } finally {
      lock.unlock();
    }
  }
}
