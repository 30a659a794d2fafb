package dev.archivist.app.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.archivist.controller.kube.Workflows;
import dev.archivist.core.WorkflowLabels;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Drives a small workload against the real in-process Kubernetes API. */
class DemoWorkloadTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-05-01T12:00:00Z"),
      ZoneOffset.UTC);

  @Test
  void start_drivesEveryWorkflowToACompletedPhaseWithArgosLabels() {
    try (DemoCluster cluster = DemoCluster.start();
        DemoWorkload workload = DemoWorkload.start(cluster.client(),
            new DemoWorkload.Options(12, 2048, 16384, 4, 42), CLOCK)) {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
          .until(workload::isDone);

      assertThat(workload.failure()).isNull();
      assertThat(workload.created()).isEqualTo(12);
      assertThat(workload.completed()).isEqualTo(12);
      List<GenericKubernetesResource> all = cluster.client()
          .genericKubernetesResources(Workflows.CONTEXT).inAnyNamespace().list().getItems();
      assertThat(all).hasSize(12);
      for (GenericKubernetesResource wf : all) {
        Map<String, String> labels = wf.getMetadata().getLabels();
        assertThat(labels).containsEntry(WorkflowLabels.COMPLETED, "true");
        assertThat(labels.get(WorkflowLabels.PHASE)).isIn("Succeeded", "Failed", "Error");
        @SuppressWarnings("unchecked")
        Map<String, Object> status = (Map<String, Object>) wf.getAdditionalProperties()
            .get("status");
        assertThat(status.get("phase")).isEqualTo(labels.get(WorkflowLabels.PHASE));
        assertThat(status.get("finishedAt")).isNotNull();
        assertThat((Map<?, ?>) status.get("nodes")).hasSizeGreaterThan(3);
      }
    }
  }

  /**
   * A create that timed out on our side may have been made by the server all the same; the retry
   * then gets 409 AlreadyExists, which means "done", not an error: the workflow goes on to
   * complete and nothing is abandoned.
   */
  @Test
  void start_createThatAnEarlierAttemptMade_carriesOnFromThere() {
    DemoWorkload.Options options = new DemoWorkload.Options(6, 2048, 16384, 2, 42);
    // The first workflow the workload plans, drawn as it draws it: its size, then its plan.
    java.util.Random random = new java.util.Random(options.seed());
    double lo = Math.log(options.minBytes());
    double hi = Math.log(options.maxBytes());
    int size = (int) Math.round(Math.exp(lo + random.nextDouble() * (hi - lo)));
    WorkflowShapes shapes = new WorkflowShapes();
    WorkflowShapes.Plan first = shapes.plan(random, size, CLOCK.instant());

    try (DemoCluster cluster = DemoCluster.start()) {
      GenericKubernetesResource early = cluster.client().getKubernetesSerialization()
          .unmarshal(shapes.created(first).toString(), GenericKubernetesResource.class);
      Workflows.operation(cluster.client()).inNamespace(first.namespace()).resource(early)
          .create();
      try (DemoWorkload workload = DemoWorkload.start(cluster.client(), options, CLOCK)) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
            .until(workload::isDone);

        assertThat(workload.abandoned()).isZero();
        assertThat(workload.completed()).isEqualTo(6);
        List<GenericKubernetesResource> all = cluster.client()
            .genericKubernetesResources(Workflows.CONTEXT).inAnyNamespace().list().getItems();
        assertThat(all).as("the early one is one of the six, not a seventh").hasSize(6);
        assertThat(all).filteredOn(w -> w.getMetadata().getName().equals(first.name()))
            .singleElement().satisfies(w -> assertThat(w.getMetadata().getLabels())
                .containsEntry(WorkflowLabels.COMPLETED, "true"));
      }
    }
  }

  @Test
  void shapes_growWithTheTargetSize() {
    WorkflowShapes shapes = new WorkflowShapes();
    java.util.Random random = new java.util.Random(7);
    for (int target : new int[] {4096, 65536}) {
      WorkflowShapes.Plan plan = shapes.plan(random, target, CLOCK.instant());
      int size = shapes.created(plan).toString().length();
      for (int step = 1; step < 3; step++) {
        size += shapes.progress(plan, step, 3).toString().length();
      }
      size += shapes.completed(plan, 3, CLOCK.instant()).toString().length();

      assertThat(size).as("bytes sent for a %d-byte target", target)
          .isBetween(target / 2, target * 2);
    }
  }
}
