package dev.archivist.controller.informer;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;

/**
 * An informer event handler for which an add and an update mean the same thing: here is the
 * object as it now is. Subclasses act on that state in {@link #onLatest} and still say in
 * {@link #onDelete} what a delete means to them.
 */
public abstract class LatestStateHandler implements ResourceEventHandler<HasMetadata> {
  @Override
  public final void onAdd(HasMetadata obj) {
    onLatest(obj);
  }

  @Override
  public void onUpdate(HasMetadata oldObj, HasMetadata newObj) {
    onLatest(newObj);
  }

  /** The object as it now is, after an add or an update. */
  protected abstract void onLatest(HasMetadata obj);
}
