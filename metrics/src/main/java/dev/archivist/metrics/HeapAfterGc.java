package dev.archivist.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;

/**
 * The one heap figure Archivist shows everywhere (the web UI's status panel, the demo's progress
 * line, {@code bench/memory}): <em>heap after GC</em>, the bytes in use in the heap right after
 * the most recent garbage collection, summed over the heap's pools (each pool's collection
 * usage). Unlike the used heap ({@code jvm_memory_used_bytes}), it does not count garbage waiting
 * for the next collection, so it follows what the process retains rather than the collector's
 * rhythm. It may still include dead objects in the old generation that the last collection did
 * not visit; after a full collection it is the live heap.
 */
public final class HeapAfterGc implements MeterBinder {
  /** The Prometheus name is {@code archivist_heap_after_gc_bytes}. */
  public static final String METER = "archivist.heap.after.gc";

  /** Heap in use right after the most recent collection, in bytes (0 before the first one). */
  public static long bytes() {
    long total = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        MemoryUsage afterGc = pool.getCollectionUsage();
        if (afterGc != null) {
          total += afterGc.getUsed();
        }
      }
    }
    return total;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder(METER, HeapAfterGc::bytes)
        .description("Heap after GC: bytes in use in the heap right after the most recent"
            + " garbage collection, summed over the heap pools")
        .baseUnit("bytes")
        .register(registry);
  }
}
