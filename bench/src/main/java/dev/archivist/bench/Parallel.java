package dev.archivist.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** How the benchmarks load in parallel: indexed tasks on a fixed pool, awaited together. */
public final class Parallel {
  /** The work for one index. */
  public interface IndexTask {
    void run(int index) throws Exception;
  }

  private Parallel() {}

  /**
   * Runs {@code task} for every index from 0 to {@code n - 1} on {@code threads} threads and
   * returns once all have finished.
   *
   * @throws ExecutionException for the first failed index, in index order; the pool is then shut
   *     down, interrupting the tasks still running
   */
  public static void forEachIndex(int n, int threads, IndexTask task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        int index = i;
        futures.add(pool.submit(() -> {
          task.run(index);
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
