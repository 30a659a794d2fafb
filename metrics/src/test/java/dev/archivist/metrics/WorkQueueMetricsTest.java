package dev.archivist.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.workqueue.RateLimiters;
import dev.archivist.workqueue.RateLimitingQueue;
import dev.archivist.workqueue.WorkQueues;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkQueueMetricsTest {
  private final AtomicLong nanos = new AtomicLong(5_000_000_000L);
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private RateLimitingQueue<String> queue;

  @AfterEach
  void shutDown() {
    if (queue != null) {
      queue.shutDown();
    }
  }

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  private RateLimitingQueue<String> archiveQueue() {
    queue = WorkQueues.<String>builder().name("archive").ticker(nanos::get).capacity(3)
        .threadFactory(r -> new Thread(() -> {}))
        .rateLimiter(RateLimiters.exponentialFailure(Duration.ofSeconds(1), Duration.ofSeconds(8)))
        .metrics(WorkQueueMetrics.provider(registry)).buildRateLimiting();
    return queue;
  }

  /** The value of the one sample {@code series{name="archive"...}} in the scrape. */
  private static double sample(String scrape, String series, String extraLabels) {
    Pattern p = Pattern.compile("(?m)^" + Pattern.quote(series) + "\\{name=\"archive\""
        + Pattern.quote(extraLabels) + "} (\\S+)$");
    Matcher m = p.matcher(scrape);
    assertThat(m.find()).as("%s{name=\"archive\"%s} in:%n%s", series, extraLabels, scrape)
        .isTrue();
    return Double.parseDouble(m.group(1));
  }

  private static double sample(String scrape, String series) {
    return sample(scrape, series, "");
  }

  @Test
  void scrape_exposesClientGoNamesWithValues() {
    RateLimitingQueue<String> q = archiveQueue();
    q.add("a");
    q.add("b");
    q.add("c");
    q.add("d"); // dropped: capacity 3
    q.add("a"); // deduplicated: not an add
    advance(Duration.ofSeconds(2));
    q.tryGet(); // a waited 2 s
    advance(Duration.ofSeconds(3));
    q.tryGet(); // b waited 5 s
    advance(Duration.ofMillis(500));
    q.done("a"); // a worked 3.5 s
    q.addRateLimited("a"); // one retry

    String scrape = registry.scrape();

    assertThat(sample(scrape, "workqueue_depth")).isEqualTo(1.0);
    assertThat(sample(scrape, "workqueue_adds_total")).isEqualTo(3.0);
    assertThat(sample(scrape, "workqueue_dropped_total")).isEqualTo(1.0);
    assertThat(sample(scrape, "workqueue_retries_total")).isEqualTo(1.0);
    assertThat(sample(scrape, "workqueue_queue_duration_seconds_count")).isEqualTo(2.0);
    assertThat(sample(scrape, "workqueue_queue_duration_seconds_sum")).isEqualTo(7.0);
    assertThat(sample(scrape, "workqueue_queue_duration_seconds_bucket", ",le=\"1.0\""))
        .isEqualTo(0.0);
    assertThat(sample(scrape, "workqueue_queue_duration_seconds_bucket", ",le=\"10.0\""))
        .isEqualTo(2.0);
    assertThat(sample(scrape, "workqueue_work_duration_seconds_count")).isEqualTo(1.0);
    assertThat(sample(scrape, "workqueue_work_duration_seconds_sum")).isEqualTo(3.5);
    // b has been processed for 0.5 s and is the only item in flight.
    assertThat(sample(scrape, "workqueue_unfinished_work_seconds")).isEqualTo(0.5);
    assertThat(sample(scrape, "workqueue_longest_running_processor_seconds")).isEqualTo(0.5);

    advance(Duration.ofSeconds(2));
    String later = registry.scrape();
    assertThat(sample(later, "workqueue_unfinished_work_seconds")).isEqualTo(2.5);
    assertThat(sample(later, "workqueue_longest_running_processor_seconds")).isEqualTo(2.5);
  }

  @Test
  void scrape_queueFamiliesAreExactlyTheContractNames() {
    archiveQueue();
    String scrape = registry.scrape();
    Set<String> families = Arrays.stream(scrape.split("\n"))
        .filter(line -> line.startsWith("# TYPE workqueue_"))
        .map(line -> line.split(" ")[2])
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(families).contains(
        "workqueue_depth",
        "workqueue_adds_total",
        "workqueue_queue_duration_seconds",
        "workqueue_work_duration_seconds",
        "workqueue_unfinished_work_seconds",
        "workqueue_longest_running_processor_seconds",
        "workqueue_retries_total",
        "workqueue_dropped_total");
    // Micrometer adds a _max gauge beside each histogram; nothing else may appear.
    families.removeIf(f -> f.endsWith("_seconds_max"));
    assertThat(families).hasSize(8);
  }

  @Test
  void prometheus_bindsJvmSeries() {
    PrometheusMeterRegistry app = Registries.prometheus();
    try {
      String scrape = app.scrape();
      assertThat(scrape).contains("jvm_memory_used_bytes", "jvm_threads_live_threads",
          "jvm_classes_loaded_classes", "system_cpu_count", "process_uptime_seconds",
          "jvm_gc_");
    } finally {
      app.close();
    }
  }

  @Test
  void prometheus_exportsHeapAfterGc_withTheNameTheUiAndDemoUse() {
    PrometheusMeterRegistry app = Registries.prometheus();
    try {
      System.gc(); // the figure is read from the pools' usage after the latest collection
      String scrape = app.scrape();
      assertThat(scrape).contains("# HELP archivist_heap_after_gc_bytes Heap after GC: ");
      String sample = scrape.lines().filter(l -> l.startsWith("archivist_heap_after_gc_bytes "))
          .findFirst().orElseThrow(() -> new AssertionError("no sample in:\n" + scrape));
      double value = Double.parseDouble(sample.substring(sample.indexOf(' ') + 1));
      assertThat(value).isPositive()
          .isLessThanOrEqualTo(Runtime.getRuntime().maxMemory());
    } finally {
      app.close();
    }
  }
}
