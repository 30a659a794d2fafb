package dev.archivist.bench.e2e;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * The measured JVM's entry point: starts a heap sampler, then runs another main class (the app's
 * {@code dev.archivist.app.Main}, or the memory benchmark's Argo-style archiver) unchanged.
 *
 * <p>Every {@code archivist.bench.sampleMillis} (default 1000) the sampler forces a full collection
 * and prints {@code @@HEAP <bytes>}: the heap in use right after it, i.e. the live heap. The
 * forced collections cost CPU; at the e2e benchmark's 5 s period they are a small share of the
 * CPU it reports.
 *
 * <p>Arguments: {@code mainClass args...}.
 */
public final class SampledMain {
  private SampledMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: SampledMain mainClass [args...]");
      System.exit(2);
    }
    long period = Long.getLong("archivist.bench.sampleMillis", 1000);
    Thread sampler = new Thread(() -> sample(period), "heap-sampler");
    sampler.setDaemon(true);
    sampler.start();
    Method main = Class.forName(args[0]).getMethod("main", String[].class);
    main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
  }

  private static void sample(long periodMillis) {
    while (true) {
      LockSupport.parkNanos(periodMillis * 1_000_000L);
      System.gc();
      long used = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
          used += pool.getCollectionUsage().getUsed();
        }
      }
      System.out.println("@@HEAP " + used);
      System.out.flush();
    }
  }
}
