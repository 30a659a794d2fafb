package dev.archivist.app.demo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The demo's generated workflows as they look once completed (created, then the completion merge
 * patch applied), for tests outside this package that need realistic workflows.
 */
public final class CompletedDemoWorkflows {
  private CompletedDemoWorkflows() {}

  /**
   * {@code count} completed workflows of about {@code targetBytes} each, drawn from
   * {@code seed}: the same seed gives the same workflows.
   */
  public static List<ObjectNode> generate(int count, int targetBytes, long seed, Instant now) {
    WorkflowShapes shapes = new WorkflowShapes();
    Random random = new Random(seed);
    List<ObjectNode> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      WorkflowShapes.Plan plan = shapes.plan(random, targetBytes, now);
      ObjectNode wf = shapes.created(plan);
      mergePatch(wf, shapes.completed(plan, 1, plan.startedAt().plus(plan.runtime())));
      out.add(wf);
    }
    return out;
  }

  /** RFC 7386: objects merge, null removes, anything else replaces. */
  private static void mergePatch(ObjectNode target, ObjectNode patch) {
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      JsonNode value = e.getValue();
      JsonNode existing = target.get(e.getKey());
      if (value.isNull()) {
        target.remove(e.getKey());
      } else if (value.isObject() && existing != null && existing.isObject()) {
        mergePatch((ObjectNode) existing, (ObjectNode) value);
      } else {
        target.set(e.getKey(), value.deepCopy());
      }
    }
  }
}
