package dev.archivist.controller.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class KubeOutagesTest {
  private final AtomicLong now = new AtomicLong(1_000);
  private final List<Integer> counted = new ArrayList<>();
  private final KubeOutages outages = new KubeOutages(now::get, counted::add);

  @Test
  void isOutage_serverSideAndAuthFailures_butNotTheWorkflowsOwn() {
    for (int code : new int[] {0, 401, 403, 408, 429, 500, 502, 503, 504}) {
      assertThat(KubeOutages.isOutage(code)).as("HTTP %d", code).isTrue();
    }
    for (int code : new int[] {400, 404, 409, 410, 422}) {
      assertThat(KubeOutages.isOutage(code)).as("HTTP %d", code).isFalse();
    }
  }

  @Test
  void isOutage_aCallThatGotNoResponse_fromFabric8sMinusOne() {
    // fabric8 reports a refused or reset connection with code -1, not 0.
    io.fabric8.kubernetes.client.KubernetesClientException refused =
        new io.fabric8.kubernetes.client.KubernetesClientException("Operation: [list] failed",
            new java.net.ConnectException("Connection refused"));
    WorkflowApiException e = new WorkflowApiException("LIST",
        new dev.archivist.core.WorkflowKey("ns", "*"), refused.getCode(), 3, refused);

    assertThat(refused.getCode()).isEqualTo(-1);
    assertThat(e.code()).isZero();
    assertThat(KubeOutages.isOutage(e.code())).isTrue();
    assertThat(e.getMessage()).contains("(no HTTP response)");
  }

  @Test
  void failingFor_countsFromTheFirstFailureUntilASuccess() {
    outages.failed(503, "x");
    now.addAndGet(Duration.ofSeconds(5).toNanos());
    outages.failed(429, "y");
    now.addAndGet(Duration.ofSeconds(5).toNanos());

    assertThat(outages.failingFor()).isEqualTo(Duration.ofSeconds(10));
    assertThat(counted).containsExactly(503, 429);

    outages.succeeded();
    assertThat(outages.failingFor()).isZero();
  }
}
