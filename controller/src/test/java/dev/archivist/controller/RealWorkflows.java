package dev.archivist.controller;

import dev.archivist.controller.kube.Workflows;
import dev.archivist.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import tools.jackson.databind.node.ObjectNode;

/** Workflows created on the real test API server, in a test's namespace. */
public final class RealWorkflows {
  private RealWorkflows() {}

  /**
   * Creates {@code n} completed workflows {@code <prefix>-<i>} with about {@code padBytes} of
   * status each, on 8 threads; returns their uids by name.
   */
  public static Map<String, String> createCompleted(TestNamespace ns, String prefix, int n,
      int padBytes) throws Exception {
    Map<String, String> uids = Collections.synchronizedMap(new HashMap<>());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String name = String.format("%s-%05d", prefix, i);
        done.add(pool.submit(() -> uids.put(name, create(ns, completed(ns, name, padBytes)))));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    return uids;
  }

  /** A completed workflow with about {@code padBytes} of {@code status.message}. */
  public static ObjectNode completed(TestNamespace ns, String name, int padBytes) {
    ObjectNode wf = TestWorkflows.completed(ns.name(), name);
    if (padBytes > 0) {
      ((ObjectNode) wf.get("status")).put("message", "x".repeat(padBytes));
    }
    return wf;
  }

  /** Creates the workflow; returns its uid. */
  public static String create(TestNamespace ns, ObjectNode workflow) {
    GenericKubernetesResource r = ns.admin().getKubernetesSerialization()
        .convertValue(workflow, GenericKubernetesResource.class);
    return Workflows.operation(ns.admin()).inNamespace(ns.name()).resource(r).create()
        .getMetadata().getUid();
  }
}
