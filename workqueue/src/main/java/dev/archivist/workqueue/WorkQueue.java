package dev.archivist.workqueue;

import java.time.Duration;

/**
 * A deduplicating FIFO of work items with client-go work-queue semantics. Build one with {@link
 * WorkQueues#builder()}.
 *
 * <p>Rules every implementation keeps:
 *
 * <ul>
 *   <li>An item added while it is already queued is queued once.
 *   <li>An item added while a worker is processing it is queued again when that worker calls
 *       {@link #done}; it is never handed to a second worker meanwhile. So one item is never
 *       processed by two workers at once, and an add that happens after the last {@code get} of an
 *       item always leads to one more {@code get} of it (unless the queue shuts down first).
 *   <li>Items are handed out in the order they were queued.
 *   <li>{@link #add} never blocks. With a capacity, a new item beyond it is dropped and counted.
 *   <li>After {@link #shutDown}, nothing more is handed out: adds are refused, queued items are
 *       discarded, and items being processed finish but are not queued again. The queue is a cache
 *       of work whose source of truth lives elsewhere (the cluster), so discarding is safe.
 * </ul>
 *
 * <p>Items must have value semantics ({@code equals}/{@code hashCode}) and should be small keys,
 * never whole objects: the queue holds them until they are done.
 *
 * @param <T> the item type, for example a {@code namespace/name} key
 */
public interface WorkQueue<T> {
  /**
   * Queues {@code item} unless it is already pending. Never blocks.
   *
   * @return {@code true} if the item is now pending (newly queued, already queued, or marked to be
   *     queued again when its current processing is done); {@code false} if it was dropped because
   *     the queue is at capacity (counted as a drop), or because the queue is shutting down
   * @throws NullPointerException if {@code item} is null
   */
  boolean add(T item);

  /**
   * Takes the next item, waiting until there is one. The caller becomes the item's only processor
   * and <strong>must</strong> call {@link #done} with it when finished, whatever the outcome,
   * typically in a {@code finally} block.
   *
   * @return the next item, or {@code null} once the queue is shutting down (and so empty): a
   *     worker loop should exit on {@code null}
   * @throws InterruptedException if interrupted while waiting; nothing was taken
   */
  T get() throws InterruptedException;

  /**
   * Takes the next item if one is ready, without waiting; used to fill a batch after one blocking
   * {@link #get}. The same obligation to call {@link #done} applies.
   *
   * @return the next item, or {@code null} if none is queued or the queue is shutting down
   */
  T tryGet();

  /**
   * Marks {@code item} as no longer being processed. If it was added again meanwhile, it is queued
   * again now (unless the queue is shutting down). Calling it for an item that is not being
   * processed does nothing.
   *
   * @throws NullPointerException if {@code item} is null
   */
  void done(T item);

  /** The number of items queued and ready to be taken (not those being processed or waiting). */
  int len();

  /**
   * Refuses new items, discards queued ones, and makes every waiting and future {@link #get} return
   * {@code null}. Returns at once; items being processed may still be finishing.
   */
  void shutDown();

  /**
   * {@link #shutDown()}, then waits until every item being processed is {@link #done}.
   *
   * @throws InterruptedException if interrupted while waiting; the queue stays shut down
   */
  void shutDownWithDrain() throws InterruptedException;

  /**
   * {@link #shutDown()}, then waits up to {@code timeout} for every item being processed to be
   * {@link #done}.
   *
   * @return {@code true} if nothing is being processed any more, {@code false} on timeout
   * @throws InterruptedException if interrupted while waiting; the queue stays shut down
   */
  boolean shutDownWithDrain(Duration timeout) throws InterruptedException;

  /** Whether {@link #shutDown} has been called. */
  boolean isShuttingDown();
}
