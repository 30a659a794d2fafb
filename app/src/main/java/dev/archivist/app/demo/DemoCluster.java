package dev.archivist.app.demo;

import dev.archivist.controller.kube.Workflows;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The demo's Kubernetes API: fabric8's mock server in CRUD mode, a real HTTP server on loopback
 * that speaks the Kubernetes REST and watch protocol and keeps objects in memory. It knows the
 * Workflow resource. Limits (no paging, no {@code in}/{@code notin} selectors) are fabric8's.
 */
public final class DemoCluster implements AutoCloseable {
  // The mock server logs every request at INFO through java.util.logging; the demo would drown
  // its progress line in them. A strong reference keeps the level (JUL holds loggers weakly).
  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  private final KubernetesMockServer server;
  private final NamespacedKubernetesClient client;
  private final Thread journalDrain;

  private DemoCluster(KubernetesMockServer server, NamespacedKubernetesClient client) {
    this.server = server;
    this.client = client;
    this.journalDrain = discardRequestJournal(server, "demo-api-journal-drain");
  }

  /**
   * Starts a daemon thread that discards {@code server}'s request journal until interrupted.
   * The mock server keeps every request it served, body included, for tests to take; where
   * nothing takes them (the demo, a benchmark's API server) they would pile up by the megabyte.
   */
  public static Thread discardRequestJournal(KubernetesMockServer server, String threadName) {
    Thread drain = new Thread(() -> {
      try {
        while (!Thread.currentThread().isInterrupted()) {
          server.takeRequest(1, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, threadName);
    drain.setDaemon(true);
    drain.start();
    return drain;
  }

  /** Starts it on a free loopback port; the caller must close it. */
  public static DemoCluster start() {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(),
        new HashMap<>(), new KubernetesCrudDispatcher(), false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    server.expectCustomResource(new CustomResourceDefinitionContext.Builder()
        .withGroup(Workflows.CONTEXT.getGroup())
        .withVersion(Workflows.CONTEXT.getVersion())
        .withKind(Workflows.CONTEXT.getKind())
        .withPlural(Workflows.CONTEXT.getPlural())
        .withScope("Namespaced")
        .build());
    return new DemoCluster(server, server.createClient());
  }

  /** A client of this API; it stays open until {@link #close()}. */
  public NamespacedKubernetesClient client() {
    return client;
  }

  /** The namespaces the demo's workflows are spread over. */
  public static List<String> namespaces() {
    return WorkflowShapes.NAMESPACES;
  }

  @Override
  public void close() {
    journalDrain.interrupt();
    client.close();
    server.destroy();
  }
}
