package dev.archivist.controller.finalizer;

import dev.archivist.controller.informer.KeyEnqueuer;
import dev.archivist.controller.informer.LatestStateHandler;
import dev.archivist.controller.kube.FinalizerApi;
import dev.archivist.core.LabelSelector;
import dev.archivist.core.WorkflowKey;
import dev.archivist.core.WorkflowLabels;
import dev.archivist.workqueue.WorkQueue;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The finalizer informer's event handler. From the event's metadata alone it routes the key:
 *
 * <ul>
 *   <li>being deleted and held by our finalizer: to the <em>archive</em> queue, whose worker
 *       archives it as it is (running or not) and then releases it;
 *   <li>lacking our finalizer, not being deleted, not labelled {@code Archived}, and matching
 *       {@code --archive-label-selector}: to the <em>add</em> queue;
 *   <li>anything else: nowhere.
 * </ul>
 *
 * <p>As every informer handler here, it is O(1) and never blocks (see {@link KeyEnqueuer}): a
 * few map lookups on the event's metadata and a {@code queue.add}, which drops and counts at
 * capacity rather than waiting. It keeps no reference to the object.
 */
final class FinalizerHandler extends LatestStateHandler {
  private final LabelSelector archiveSelector;
  private final WorkQueue<WorkflowKey> adds;
  private final WorkQueue<WorkflowKey> archive;

  FinalizerHandler(LabelSelector archiveSelector, WorkQueue<WorkflowKey> adds,
      WorkQueue<WorkflowKey> archive) {
    this.archiveSelector = Objects.requireNonNull(archiveSelector, "archiveSelector");
    this.adds = Objects.requireNonNull(adds, "adds");
    this.archive = Objects.requireNonNull(archive, "archive");
  }

  @Override
  public void onDelete(HasMetadata obj, boolean deletedFinalStateUnknown) {
    // Gone: nothing to add, nothing to release.
  }

  /** Routes the key as the class comment says. */
  @Override
  protected void onLatest(HasMetadata obj) {
    ObjectMeta meta = obj.getMetadata();
    boolean ours = holdsOurs(meta.getFinalizers());
    if (meta.getDeletionTimestamp() != null) {
      if (ours) {
        archive.add(KeyEnqueuer.keyOf(obj));
      }
      return;
    }
    if (ours) {
      return;
    }
    Map<String, String> labels = meta.getLabels() == null ? Map.of() : meta.getLabels();
    if (WorkflowLabels.STATUS_ARCHIVED.equals(labels.get(WorkflowLabels.ARCHIVING_STATUS))
        || !archiveSelector.matches(labels)) {
      return;
    }
    adds.add(KeyEnqueuer.keyOf(obj));
  }

  static boolean holdsOurs(List<String> finalizers) {
    return finalizers != null && finalizers.contains(FinalizerApi.FINALIZER);
  }
}
