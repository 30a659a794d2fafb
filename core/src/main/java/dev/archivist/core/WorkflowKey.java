package dev.archivist.core;

import java.util.Objects;

/**
 * The queue key of a workflow: {@code namespace/name}. Keys, never objects, are what the archive
 * queue holds, so a pending workflow costs a few hundred bytes however large it is.
 */
public record WorkflowKey(String namespace, String name) {
  public WorkflowKey {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }

  /** Parses {@code namespace/name}; a key without a slash is cluster-scoped (empty namespace). */
  public static WorkflowKey parse(String key) {
    Objects.requireNonNull(key, "key");
    int slash = key.indexOf('/');
    if (slash < 0) {
      return new WorkflowKey("", key);
    }
    return new WorkflowKey(key.substring(0, slash), key.substring(slash + 1));
  }

  @Override
  public String toString() {
    return namespace.isEmpty() ? name : namespace + "/" + name;
  }
}
