package dev.archivist.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.archivist.app.demo.DemoCluster;
import dev.archivist.controller.kube.Workflows;
import dev.archivist.core.WorkflowLabels;
import dev.archivist.testing.PostgresExtension;
import dev.archivist.testing.TestDatabase;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code archivist run} for real: a kubeconfig pointing at the in-process Kubernetes API, the
 * test's PostgreSQL, a completed workflow archived and labelled, readiness, and a clean stop.
 */
@ExtendWith(PostgresExtension.class)
class RunCommandTest {
  @Test
  void run_archivesACompletedWorkflowAndIsReady(TestDatabase db, @TempDir Path dir)
      throws Exception {
    try (DemoCluster cluster = DemoCluster.start()) {
      Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), kubeconfig(
          cluster.client().getConfiguration().getMasterUrl()));
      Cli.Started run = Cli.start(Map.of("ARCHIVIST_DB", db.jdbcUrl()), "run",
          "--kubeconfig", kubeconfig.toString(), "--http-port", "0", "--bind-address",
          "127.0.0.1", "--auth-mode", "none", "--namespace", "argo");
      try {
        int port = run.awaitPort("the API is on port", Duration.ofMinutes(2));
        assertThat(run.err()).contains("created the archive schema");
        String base = "http://127.0.0.1:" + port;

        GenericKubernetesResource created = Workflows.operation(cluster.client())
            .inNamespace("argo").resource(cluster.client().getKubernetesSerialization()
                .unmarshal(completedWorkflow(), GenericKubernetesResource.class)).create();
        String uid = created.getMetadata().getUid();

        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
            .until(() -> WorkflowLabels.STATUS_ARCHIVED.equals(Workflows.operation(cluster.client())
                .inNamespace("argo").withName("hello-abcde")
                .get().getMetadata().getLabels().get(WorkflowLabels.ARCHIVING_STATUS)));
        assertThat(get(base + "/api/v1/archived-workflows/" + uid).statusCode())
            .isEqualTo(200);
        assertThat(get(base + "/readyz").statusCode()).isEqualTo(200);
      } finally {
        run.stop();
      }
      assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String kubeconfig(String server) {
    return String.join("\n",
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        "- name: mock",
        "  cluster:",
        "    server: " + server,
        "contexts:",
        "- name: mock",
        "  context:",
        "    cluster: mock",
        "    user: mock",
        "current-context: mock",
        "users:",
        "- name: mock",
        "  user:",
        "    token: not-checked",
        "");
  }

  private static String completedWorkflow() {
    return """
        {"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
         "metadata": {"name": "hello-abcde", "namespace": "argo", "uid": "uid-run-1",
           "labels": {"workflows.argoproj.io/completed": "true",
                      "workflows.argoproj.io/phase": "Succeeded"}},
         "spec": {"entrypoint": "main"},
         "status": {"phase": "Succeeded", "startedAt": "2026-05-01T10:00:00Z",
                    "finishedAt": "2026-05-01T10:01:00Z"}}
        """;
  }
}
