package dev.archivist.bench.jmh;

import dev.archivist.workqueue.WorkQueue;
import dev.archivist.workqueue.WorkQueues;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Throughput of the work queue's hot paths: the informer handler's {@code add} and a worker's
 * {@code get}/{@code done}, alone and under contention. Run it with {@code bench/workqueue}.
 *
 * <p>Workers use {@code tryGet}, never the blocking {@code get}, so that no benchmark thread can
 * be left waiting on an empty queue when an iteration ends.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WorkQueueBenchmark {
  private static final int KEYS = 1 << 14;
  private static final int MASK = KEYS - 1;

  /** Pre-boxed keys, so the benchmark measures the queue and not {@code Integer.valueOf}. */
  private final Integer[] keys = new Integer[KEYS];
  private WorkQueue<Integer> queue;

  @Setup(Level.Iteration)
  public void setUp() {
    for (int i = 0; i < KEYS; i++) {
      keys[i] = i;
    }
    queue = WorkQueues.<Integer>builder().build();
    queue.add(keys[0]); // stays pending: the duplicate-add benchmark re-adds it
  }

  @TearDown(Level.Iteration)
  public void tearDown() {
    queue.shutDown();
  }

  /** Per-thread position in the key space, so threads mostly work on different keys. */
  @State(Scope.Thread)
  public static class Cursor {
    private static final AtomicInteger THREADS = new AtomicInteger();
    final int offset = THREADS.getAndIncrement() * 1024;
    int next;

    int nextKey() {
      return (offset + 1 + (next++ & 1023)) & MASK;
    }
  }

  /** One thread: a key goes through add, tryGet and done. */
  @Benchmark
  @Threads(1)
  public Integer single_addGetDone(Cursor cursor) {
    return addGetDone(cursor);
  }

  /** One thread: the informer handler's common case, re-adding a key that is already pending. */
  @Benchmark
  @Threads(1)
  public boolean single_addDuplicate() {
    return queue.add(keys[0]);
  }

  /** Four threads each doing add, tryGet and done on one queue (2 cores: oversubscribed). */
  @Benchmark
  @Threads(4)
  public Integer contended_addGetDone(Cursor cursor) {
    return addGetDone(cursor);
  }

  /** A key through add, tryGet and done; keys[0] stays pending, for the duplicate case. */
  private Integer addGetDone(Cursor cursor) {
    queue.add(keys[cursor.nextKey()]);
    Integer got = queue.tryGet();
    if (got != null && !got.equals(keys[0])) {
      queue.done(got);
    }
    return got;
  }

  /** Two producers adding random keys of 16k... */
  @Benchmark
  @Group("producersConsumers")
  @GroupThreads(2)
  public boolean producer_add() {
    return queue.add(keys[1 + ThreadLocalRandom.current().nextInt(MASK)]);
  }

  /** ...against two workers taking and finishing them (an empty poll counts as an operation). */
  @Benchmark
  @Group("producersConsumers")
  @GroupThreads(2)
  public Integer consumer_getDone() {
    Integer got = queue.tryGet();
    if (got != null && !got.equals(keys[0])) {
      queue.done(got);
    }
    return got;
  }
}
