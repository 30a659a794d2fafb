package dev.archivist.workqueue;

import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The usual worker loop of a {@link RateLimitingQueue}, for a worker that takes one item at a
 * time: {@code get}; process; on an unexpected failure report it and {@link
 * RateLimitingQueue#addRateLimited addRateLimited}; in every case {@code done}. Success, giving
 * up and {@code forget} are the processing's own business. A worker that takes items in
 * batches uses only its first step, {@link #take}.
 */
public final class WorkerLoop {
  private WorkerLoop() {}

  /**
   * Runs the loop on the calling thread until the queue shuts down, or until the thread is
   * interrupted while waiting (the interrupt flag is kept for the thread's owner).
   *
   * @param process handles one item; what it throws (unchecked) does not stop the loop
   * @param onFailure told of an item whose processing threw, before the item is queued again
   *     with backoff; typically it logs
   */
  public static <T> void run(RateLimitingQueue<T> queue, Consumer<? super T> process,
      BiConsumer<? super T, ? super RuntimeException> onFailure) {
    while (true) {
      T item = take(queue);
      if (item == null) {
        return;
      }
      try {
        process.accept(item);
      } catch (RuntimeException e) {
        onFailure.accept(item, e);
        queue.addRateLimited(item);
      } finally {
        queue.done(item);
      }
    }
  }

  /**
   * The next item, waiting for one; null once the queue shuts down, or when the thread is
   * interrupted while waiting (the interrupt flag is kept for the thread's owner). The caller
   * owns the item's {@code done}.
   */
  public static <T> T take(WorkQueue<T> queue) {
    try {
      return queue.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
