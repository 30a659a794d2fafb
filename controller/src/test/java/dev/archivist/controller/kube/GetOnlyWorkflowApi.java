package dev.archivist.controller.kube;

import dev.archivist.core.WorkflowKey;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * A {@link WorkflowApi} for the tests of a part that only reads workflows one by one: GETs are
 * answered by the test's function, and a LIST or a mark fails the test.
 */
public final class GetOnlyWorkflowApi implements WorkflowApi {
  private final Function<WorkflowKey, Optional<JsonNode>> get;

  public GetOnlyWorkflowApi(Function<WorkflowKey, Optional<JsonNode>> get) {
    this.get = get;
  }

  @Override
  public Optional<JsonNode> get(WorkflowKey key) {
    return get.apply(key);
  }

  @Override
  public Page list(String namespace, String selector, int limit, String continueToken) {
    throw new AssertionError("no LIST here (" + namespace + ")");
  }

  @Override
  public MarkResult markArchived(WorkflowKey key, Marking marking) {
    throw new AssertionError("nothing to mark here (" + key + ")");
  }
}
