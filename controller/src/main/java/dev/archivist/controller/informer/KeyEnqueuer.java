package dev.archivist.controller.informer;

import dev.archivist.core.WorkflowKey;
import dev.archivist.workqueue.WorkQueue;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.Objects;

/**
 * The informers' event handler: it turns an event into a {@code namespace/name} key and adds it
 * to the archive queue. Nothing else, on purpose.
 *
 * <p>fabric8 runs every handler of an informer on one serial executor whose task queue is
 * unbounded and whose tasks pin the event's full objects. A handler that blocks or does I/O
 * therefore grows the heap with the event rate (the failure of Argo's controller before v3.6; see
 * {@code docs/architecture.md}, The event handler's cost). This one is O(1) and never blocks:
 * {@link WorkQueue#add} only takes the queue's lock for a hash-set insert, and drops (counting) at
 * capacity instead of waiting. It keeps no reference to the object after it returns.
 *
 * <p>Deletes are ignored: a key already queued finds the workflow gone when a worker reads it,
 * and a workflow leaving the informer's selector because we labelled it needs nothing more.
 *
 * <p>Public so that the controller's assembly can build it and the JMH benchmark in
 * {@code bench/} can measure it.
 */
public final class KeyEnqueuer extends LatestStateHandler {
  private final WorkQueue<WorkflowKey> queue;

  public KeyEnqueuer(WorkQueue<WorkflowKey> queue) {
    this.queue = Objects.requireNonNull(queue, "queue");
  }

  @Override
  protected void onLatest(HasMetadata obj) {
    queue.add(keyOf(obj));
  }

  @Override
  public void onDelete(HasMetadata obj, boolean deletedFinalStateUnknown) {
    // Nothing to do; see the class comment.
  }

  /** The queue key of an object: its namespace (empty when cluster-scoped) and name. */
  public static WorkflowKey keyOf(HasMetadata obj) {
    ObjectMeta meta = obj.getMetadata();
    String namespace = meta.getNamespace();
    return new WorkflowKey(namespace == null ? "" : namespace, meta.getName());
  }
}
