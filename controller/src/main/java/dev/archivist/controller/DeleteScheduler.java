package dev.archivist.controller;

import dev.archivist.controller.internal.KeyEnqueuer;
import dev.archivist.core.WorkflowKey;
import dev.archivist.workqueue.DelayingQueue;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.time.Duration;
import java.util.Objects;

/**
 * The deletion informers' event handler ({@code --delete-after}): it schedules the key of a
 * workflow seen labelled {@code Archived} to be checked, and perhaps deleted, {@code delay}
 * later. Like {@link KeyEnqueuer} it never blocks and keeps no object: {@code addAfter} records a
 * deadline under the queue's lock and returns, and an update of a key already waiting keeps the
 * earlier deadline, so updates never postpone a deletion.
 *
 * <p>The delay counts from when this process first sees the workflow Archived, so a workflow is
 * never deleted earlier than {@code --delete-after} after it was marked; a restart starts the wait
 * again for the workflows still waiting. Deletes are ignored: the deleter re-reads anyway.
 */
final class DeleteScheduler implements ResourceEventHandler<HasMetadata> {
  private final DelayingQueue<WorkflowKey> queue;
  private final Duration delay;

  DeleteScheduler(DelayingQueue<WorkflowKey> queue, Duration delay) {
    this.queue = Objects.requireNonNull(queue, "queue");
    this.delay = Objects.requireNonNull(delay, "delay");
  }

  @Override
  public void onAdd(HasMetadata obj) {
    queue.addAfter(KeyEnqueuer.keyOf(obj), delay);
  }

  @Override
  public void onUpdate(HasMetadata oldObj, HasMetadata newObj) {
    queue.addAfter(KeyEnqueuer.keyOf(newObj), delay);
  }

  @Override
  public void onDelete(HasMetadata obj, boolean deletedFinalStateUnknown) {
    // Nothing: the deleter re-reads the workflow before it deletes anything.
  }
}
