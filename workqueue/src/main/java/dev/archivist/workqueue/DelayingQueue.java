package dev.archivist.workqueue;

import java.time.Duration;

/**
 * A {@link WorkQueue} that can also queue an item after a delay. Build one with {@link
 * WorkQueues.Builder#buildDelaying()}.
 *
 * <p>Waiting items are kept in a set keyed by item: adding an item that is already waiting keeps
 * the <em>earlier</em> of the two deadlines. The waiting set has no limit and nothing in it is
 * dropped, not even by the queue's capacity, which bounds only {@link #add}: a delayed item is a
 * retry of work that was already admitted. When its deadline passes, the item is queued as by
 * {@code add} (deduplicated against what is pending). Shutting down discards waiting items.
 */
public interface DelayingQueue<T> extends WorkQueue<T> {
  /**
   * Queues {@code item} once {@code delay} has passed; a zero or negative delay queues it now.
   * Never blocks.
   *
   * @return {@code false} if the queue is shutting down, else {@code true}
   * @throws NullPointerException if {@code item} or {@code delay} is null
   */
  boolean addAfter(T item, Duration delay);
}
