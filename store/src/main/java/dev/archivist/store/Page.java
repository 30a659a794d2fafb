package dev.archivist.store;

import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * One page of a list.
 *
 * @param items partial workflows, as Argo's list returns them (metadata with labels and
 *     annotations, {@code spec.arguments} and {@code suspend}, status phase, startedAt, finishedAt,
 *     progress, message, estimatedDuration, resourcesDuration)
 * @param continueToken the token for the next page, or null on the last page
 */
public record Page(List<ObjectNode> items, String continueToken) {
  public Page {
    items = List.copyOf(items);
  }
}
