package dev.archivist.workqueue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.function.Consumer;

/**
 * Items waiting for a deadline: a binary min-heap ordered by (deadline, arrival) plus an index by
 * item, so each item waits at most once and an earlier deadline can replace a later one in
 * O(log n).
 *
 * <p>Pure bookkeeping, not thread-safe: {@link DelayLayer} guards it with its lock. Time
 * enters only as the {@code now} argument, so the logic is tested with plain numbers.
 *
 * <p>Invariants: {@code byItem} and {@code heap} hold the same entries; {@code heap.get(i).index ==
 * i}; every entry's deadline is not before its parent's (ties broken by arrival, so items with the
 * same deadline come out in the order they were added).
 */
final class WaitingSet<T> {
  /** Returned by {@link #drainReady} when nothing is waiting. */
  static final long NOTHING_WAITING = Long.MAX_VALUE;

  private static final class Entry<T> {
    final T item;
    long deadline;
    long arrival;
    int index;

    Entry(T item, long deadline, long arrival) {
      this.item = item;
      this.deadline = deadline;
      this.arrival = arrival;
    }
  }

  private final ArrayList<Entry<T>> heap = new ArrayList<>();
  private final HashMap<T, Entry<T>> byItem = new HashMap<>();
  private long arrivals;

  /**
   * Makes {@code item} wait until {@code deadline}, or keeps its current deadline if that is
   * earlier.
   *
   * @return whether the earliest deadline of the set changed (the waiting thread must re-plan)
   */
  boolean offer(T item, long deadline) {
    Entry<T> existing = byItem.get(item);
    if (existing != null) {
      if (deadline - existing.deadline >= 0) {
        return false;
      }
      existing.deadline = deadline;
      siftUp(existing.index);
      return existing.index == 0;
    }
    Entry<T> entry = new Entry<>(item, deadline, arrivals++);
    byItem.put(item, entry);
    entry.index = heap.size();
    heap.add(entry);
    siftUp(entry.index);
    return entry.index == 0;
  }

  /**
   * Hands every item whose deadline is at or before {@code now} to {@code ready}, earliest first.
   *
   * @return nanoseconds from {@code now} until the next deadline, or {@link #NOTHING_WAITING}
   */
  long drainReady(long now, Consumer<? super T> ready) {
    while (!heap.isEmpty()) {
      Entry<T> head = heap.get(0);
      long wait = head.deadline - now;
      if (wait > 0) {
        return wait;
      }
      removeHead();
      ready.accept(head.item);
    }
    return NOTHING_WAITING;
  }

  int size() {
    return heap.size();
  }

  boolean contains(T item) {
    return byItem.containsKey(item);
  }

  void clear() {
    heap.clear();
    byItem.clear();
  }

  private void removeHead() {
    Entry<T> head = heap.get(0);
    byItem.remove(head.item);
    Entry<T> last = heap.remove(heap.size() - 1);
    if (last != head) {
      heap.set(0, last);
      last.index = 0;
      siftDown(0);
    }
  }

  private void siftUp(int i) {
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!before(heap.get(i), heap.get(parent))) {
        return;
      }
      swap(i, parent);
      i = parent;
    }
  }

  private void siftDown(int i) {
    int n = heap.size();
    while (true) {
      int left = 2 * i + 1;
      if (left >= n) {
        return;
      }
      int child = left;
      int right = left + 1;
      if (right < n && before(heap.get(right), heap.get(left))) {
        child = right;
      }
      if (!before(heap.get(child), heap.get(i))) {
        return;
      }
      swap(i, child);
      i = child;
    }
  }

  /** Deadlines are ticker readings, so they are compared by subtraction (wrap-around safe). */
  private static boolean before(Entry<?> a, Entry<?> b) {
    long d = a.deadline - b.deadline;
    return d < 0 || (d == 0 && a.arrival < b.arrival);
  }

  private void swap(int i, int j) {
    Entry<T> a = heap.get(i);
    Entry<T> b = heap.get(j);
    heap.set(i, b);
    heap.set(j, a);
    a.index = j;
    b.index = i;
  }
}
