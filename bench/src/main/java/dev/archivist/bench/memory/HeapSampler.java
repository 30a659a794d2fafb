package dev.archivist.bench.memory;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Runs in the measured JVM: once a second it forces a full collection and reports the old
 * generation's occupancy right after it (the pool's collection usage), which is the live heap.
 *
 * <p>Why force a collection: G1's young collections leave dead objects in the old generation
 * until a concurrent cycle or a mixed collection happens, so a passive sample swings between
 * the live set and the initiating occupancy and says little about what is retained. A full
 * collection a second costs CPU, but every mode is throttled by the same archive rate, far below
 * what the CPU allows, so it does not change how fast they drain.
 *
 * <p>One daemon thread; it reads the mode's archived counter, which must be thread-safe.
 */
final class HeapSampler {
  private HeapSampler() {}

  static MemoryPoolMXBean oldGenPool() {
    List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans();
    for (MemoryPoolMXBean pool : pools) {
      String name = pool.getName();
      if (pool.getType() == MemoryType.HEAP && pool.isCollectionUsageThresholdSupported()
          && (name.contains("Old") || name.contains("Tenured"))) {
        return pool;
      }
    }
    throw new IllegalStateException("no old-generation heap pool among "
        + pools.stream().map(MemoryPoolMXBean::getName).toList());
  }

  /**
   * Starts the sampler; it prints {@code @@SAMPLE oldAfterGc heapAfterGc gcMillis archived
   * totalGcMillis pendingEvents}.
   */
  static void start(LongSupplier archived, LongSupplier pendingEvents) {
    MemoryPoolMXBean old = oldGenPool();
    Thread t = new Thread(() -> {
      long next = System.nanoTime();
      while (true) {
        next += 1_000_000_000L;
        long gcStart = System.nanoTime();
        System.gc();
        long gcMillis = (System.nanoTime() - gcStart) / 1_000_000;
        long oldAfter = old.getCollectionUsage().getUsed();
        long heapAfter = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
          if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
            heapAfter += pool.getCollectionUsage().getUsed();
          }
        }
        Protocol.emit("SAMPLE " + oldAfter + " " + heapAfter + " " + gcMillis + " "
            + archived.getAsLong() + " " + totalGcMillis() + " " + pendingEvents.getAsLong());
        long wait = next - System.nanoTime();
        if (wait > 0) {
          java.util.concurrent.locks.LockSupport.parkNanos(wait);
        } else {
          next = System.nanoTime();
        }
      }
    }, "heap-sampler");
    t.setDaemon(true);
    t.start();
  }

  private static long totalGcMillis() {
    long total = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      total += Math.max(0, gc.getCollectionTime());
    }
    return total;
  }
}
