package dev.archivist.controller.kube;

import dev.archivist.core.WorkflowKey;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * A {@link WorkflowApi} that passes every call to another: a decorator (or a test) subclasses it
 * and overrides only the calls it watches or changes, so that a method added to the interface is
 * added here once.
 */
public abstract class ForwardingWorkflowApi implements WorkflowApi {
  private final WorkflowApi delegate;

  protected ForwardingWorkflowApi(WorkflowApi delegate) {
    this.delegate = delegate;
  }

  @Override
  public Optional<JsonNode> get(WorkflowKey key) {
    return delegate.get(key);
  }

  @Override
  public Page list(String namespace, String selector, int limit, String continueToken) {
    return delegate.list(namespace, selector, limit, continueToken);
  }

  @Override
  public MarkResult markArchived(WorkflowKey key, Marking marking) {
    return delegate.markArchived(key, marking);
  }
}
