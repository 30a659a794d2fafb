package dev.archivist.controller.informer;

import dev.archivist.core.WorkflowKey;
import dev.archivist.workqueue.WorkQueue;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic sweep: when the archive queue has dropped keys at capacity since the last run, it
 * adds back every key the informers hold. The queue deduplicates, so keys still queued cost a hash
 * lookup; keys the queue drops again are swept again next period.
 *
 * <p>It does nothing when nothing was dropped. A blind sweep would also pull every failing key out
 * of its backoff once per period.
 *
 * <p>Runs on the controller's single sweep thread; {@link #run} never throws, so the schedule
 * survives a failed run.
 */
public final class KeySweeper implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(KeySweeper.class);

  private final Consumer<Consumer<WorkflowKey>> keys;
  private final WorkQueue<WorkflowKey> queue;
  private final DropSignal drops;

  public KeySweeper(Consumer<Consumer<WorkflowKey>> keys, WorkQueue<WorkflowKey> queue,
      DropSignal drops) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.queue = Objects.requireNonNull(queue, "queue");
    this.drops = Objects.requireNonNull(drops, "drops");
  }

  @Override
  public void run() {
    try {
      sweep();
    } catch (RuntimeException e) {
      log.error("archive controller: sweep failed; it runs again next period", e);
    }
  }

  /** One sweep; returns how many keys it offered to the queue. */
  int sweep() {
    if (!drops.takeDropped()) {
      return 0;
    }
    int[] offered = {0};
    keys.accept(key -> {
      queue.add(key);
      offered[0]++;
    });
    log.info("archive controller: the queue dropped keys at capacity; swept {} keys back in",
        offered[0]);
    return offered[0];
  }
}
