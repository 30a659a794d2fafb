package dev.archivist.controller;

import dev.archivist.testing.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The real API server of {@code KubeExtension}, seen from one test: its namespace, and sibling
 * namespaces ({@code <namespace>-<suffix>}) made on first use. The extension removes them all
 * after the test, so {@link #close()} has nothing to do.
 */
final class RealCluster extends WorkflowCluster {
  private final TestNamespace namespace;

  RealCluster(TestNamespace namespace) {
    this.namespace = namespace;
  }

  TestNamespace namespace() {
    return namespace;
  }

  @Override
  public boolean validatesObjects() {
    return true;
  }

  @Override
  public KubernetesClient client() {
    return namespace.admin();
  }

  @Override
  public void ensureNamespace(String ns) {
    if (!ns.equals(namespace.name())) {
      namespace.addSibling(ns);
    }
  }

  @Override
  public void close() {}
}
