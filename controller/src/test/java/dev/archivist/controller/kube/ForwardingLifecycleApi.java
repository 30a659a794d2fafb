package dev.archivist.controller.kube;

import dev.archivist.core.WorkflowKey;

/**
 * A {@link LifecycleApi} that passes every call to another: a test subclasses it and overrides
 * only the calls it watches or breaks.
 */
public abstract class ForwardingLifecycleApi implements LifecycleApi {
  private final LifecycleApi delegate;

  protected ForwardingLifecycleApi(LifecycleApi delegate) {
    this.delegate = delegate;
  }

  @Override
  public boolean annotateQuarantine(WorkflowKey key, String uid, String json) {
    return delegate.annotateQuarantine(key, uid, json);
  }

  @Override
  public boolean removeQuarantineAnnotation(WorkflowKey key, String uid) {
    return delegate.removeQuarantineAnnotation(key, uid);
  }

  @Override
  public DeleteResult delete(WorkflowKey key, String uid, String resourceVersion) {
    return delegate.delete(key, uid, resourceVersion);
  }
}
