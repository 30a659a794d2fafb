package dev.archivist.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PromTextTest {
  private static final String API_SERVER = """
      # HELP apiserver_request_total [STABLE] Counter of apiserver requests
      # TYPE apiserver_request_total counter
      apiserver_request_total{code="200",component="apiserver",dry_run="",group="argoproj.io",resource="workflows",scope="cluster",subresource="",verb="LIST",version="v1alpha1"} 3
      apiserver_request_total{code="200",component="apiserver",dry_run="",group="argoproj.io",resource="workflows",scope="namespace",subresource="",verb="PATCH",version="v1alpha1"} 4998
      apiserver_request_total{code="409",component="apiserver",dry_run="",group="argoproj.io",resource="workflows",scope="namespace",subresource="",verb="PATCH",version="v1alpha1"} 2
      apiserver_request_total{code="200",component="apiserver",dry_run="",group="",resource="pods",scope="namespace",subresource="",verb="GET",version="v1"} 7
      apiserver_response_sizes_bucket{component="apiserver",group="argoproj.io",resource="workflows",scope="cluster",subresource="",verb="LIST",version="v1alpha1",le="+Inf"} 3
      apiserver_response_sizes_sum{component="apiserver",group="argoproj.io",resource="workflows",scope="cluster",subresource="",verb="LIST",version="v1alpha1"} 1.234567e+06
      apiserver_watch_events_sizes_sum{group="argoproj.io",kind="Workflow",version="v1alpha1"} 42
      odd_metric{path="a \\"quoted\\" \\\\ value,}"} 1 1700000000000
      plain_metric 2.5
      """;

  @Test
  void sumsTheApiServersRequestCountersByVerbForOneResource() {
    PromText text = PromText.parse(API_SERVER);

    Map<String, Double> byVerb = text.sumBy("apiserver_request_total", "verb",
        s -> s.label("resource").equals("workflows"));

    assertThat(byVerb).containsExactly(Map.entry("LIST", 3.0), Map.entry("PATCH", 5000.0));
  }

  @Test
  void readsHistogramSumsInExponentNotationAndInfiniteBucketBounds() {
    PromText text = PromText.parse(API_SERVER);

    assertThat(text.sum("apiserver_response_sizes_sum", s -> s.label("verb").equals("LIST")))
        .isEqualTo(1_234_567.0);
    assertThat(text.samples()).anySatisfy(s -> assertThat(s.label("le")).isEqualTo("+Inf"));
    assertThat(text.sum("apiserver_watch_events_sizes_sum", s -> true)).isEqualTo(42.0);
  }

  @Test
  void unescapesLabelValuesAndIgnoresTimestamps() {
    PromText text = PromText.parse(API_SERVER);

    assertThat(text.samples()).anySatisfy(s -> {
      assertThat(s.name()).isEqualTo("odd_metric");
      assertThat(s.label("path")).isEqualTo("a \"quoted\" \\ value,}");
      assertThat(s.value()).isEqualTo(1.0);
    });
    assertThat(text.sum("plain_metric", s -> true)).isEqualTo(2.5);
  }

  @Test
  void namesTheLineThatIsNotASample() {
    assertThatThrownBy(() -> PromText.parse("ok 1\nbroken{verb=\"LIST\" 3\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 2")
        .hasMessageContaining("broken{verb");
  }
}
