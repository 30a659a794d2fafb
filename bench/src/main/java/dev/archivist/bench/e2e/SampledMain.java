package dev.archivist.bench.e2e;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import javax.management.ObjectName;

/**
 * The measured JVM's entry point: starts a heap sampler, then runs another main class (the app's
 * {@code dev.archivist.app.Main}, or the memory benchmark's Argo-style archiver) unchanged.
 *
 * <p>Every {@code archivist.bench.sampleMillis} (default 1000) the sampler forces a full collection
 * and prints {@code @@HEAP <bytes>}: the heap in use right after it, i.e. the live heap. The
 * forced collections cost CPU; at the e2e benchmark's 5 s period they are a small share of the
 * CPU it reports.
 *
 * <p>With {@code archivist.bench.heapDumpOverMiB} and {@code archivist.bench.heapDumpDir} set, a
 * sample above that many MiB and at least 2 MiB above the last one dumped writes the JVM's class
 * histogram and a heap dump of its live objects there ({@code heap-<pid>-<HHmmss>-<MiB>MiB.txt}
 * and {@code .hprof}), replacing the previous dump (the histograms stay): the peak's holders,
 * caught at the moment the peak is seen.
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
    long dumpOver = Long.getLong("archivist.bench.heapDumpOverMiB", 0) * 1048576L;
    String dumpDir = System.getProperty("archivist.bench.heapDumpDir");
    PeakDumps dumps = dumpOver > 0 && dumpDir != null ? new PeakDumps(Path.of(dumpDir), dumpOver)
        : null;
    Thread sampler = new Thread(() -> sample(period, dumps), "heap-sampler");
    sampler.setDaemon(true);
    sampler.start();
    Method main = Class.forName(args[0]).getMethod("main", String[].class);
    main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
  }

  private static void sample(long periodMillis, PeakDumps dumps) {
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
      if (dumps != null) {
        dumps.sampled(used);
      }
    }
  }

  /** The histogram and heap dump of each new peak over a floor; see the class comment. */
  private static final class PeakDumps {
    private final Path dir;
    private final long floor;
    private long dumped;
    private Path lastDump;

    PeakDumps(Path dir, long floor) {
      this.dir = dir;
      this.floor = floor;
    }

    void sampled(long used) {
      if (used < floor || used < dumped + 2 * 1048576L) {
        return;
      }
      dumped = used;
      String name = "heap-" + ProcessHandle.current().pid() + "-"
          + LocalTime.now().format(DateTimeFormatter.ofPattern("HHmmss")) + "-"
          + used / 1048576 + "MiB";
      try {
        Files.createDirectories(dir);
        Object histogram = ManagementFactory.getPlatformMBeanServer().invoke(
            new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
            new Object[] {new String[0]}, new String[] {String[].class.getName()});
        Files.writeString(dir.resolve(name + ".txt"), String.valueOf(histogram));
        Path dump = dir.resolve(name + ".hprof");
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
            .dumpHeap(dump.toString(), true);
        if (lastDump != null) {
          Files.deleteIfExists(lastDump);
        }
        lastDump = dump;
      } catch (IOException | javax.management.JMException | RuntimeException e) {
        System.err.println("heap-sampler: could not write " + name + ": " + e);
      }
    }
  }
}
