package dev.archivist.server;

import static dev.archivist.testing.HttpTestClient.enc;
import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.core.LabelSelector;
import dev.archivist.core.WorkflowLabels;
import dev.archivist.store.ArchiveStore;
import dev.archivist.store.StoreConfig;
import dev.archivist.testing.HttpTestClient;
import dev.archivist.testing.TestDatabase;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The archive API's contract, over real HTTP on loopback and a real archive: every parameter,
 * paging, and every error the API promises. The expected answers are computed from the seeded
 * rows in memory, so each assertion states what Argo's semantics require. Each database runs it
 * through a subclass that registers its extension.
 */
abstract class ArchiveApiContract {
  private static final Instant BASE = Instant.parse("2024-01-01T00:00:00Z");
  private static final String LIST = "/api/v1/archived-workflows";

  /** One seeded workflow: the model the expectations are computed from. */
  record Seed(String namespace, String name, String uid, String phase, Instant startedAt,
      Map<String, String> labels) {
    Map<String, String> allLabels() {
      Map<String, String> all = new LinkedHashMap<>(labels);
      all.put(WorkflowLabels.COMPLETED, "true");
      all.put(WorkflowLabels.PHASE, phase);
      // The stored copy is Persisted, as in Argo.
      all.put(WorkflowLabels.ARCHIVING_STATUS, WorkflowLabels.STATUS_PERSISTED);
      return all;
    }
  }

  private static final List<Seed> SEEDS = new ArrayList<>();
  private static ArchiveStore store;
  private static ArchiveServer server;
  private static HttpTestClient http;

  @BeforeAll
  static void seedAndServe(TestDatabase db) {
    SEEDS.clear();
    for (int i = 0; i < 20; i++) {
      SEEDS.add(new Seed("argo", String.format("nightly-%02d", i), "uid-nightly-" + i,
          i % 3 == 0 ? "Failed" : "Succeeded", BASE.plusSeconds(60L * i),
          Map.of("team", i % 2 == 0 ? "red" : "blue", "tier", Integer.toString(i % 5))));
    }
    for (int i = 0; i < 10; i++) {
      SEEDS.add(new Seed("argo", String.format("etl-load-%02d", i), "uid-etl-" + i, "Succeeded",
          BASE.plusSeconds(30 + 60L * i), Map.of("team", "green")));
    }
    for (int i = 0; i < 5; i++) {
      SEEDS.add(new Seed("ml", "train-" + i, "uid-train-" + i, i == 4 ? "Error" : "Succeeded",
          BASE.plusSeconds(3600 + 60L * i), Map.of()));
    }
    // Same namespace/name twice: the get-by-name gives the later one.
    SEEDS.add(new Seed("ml", "retrain", "uid-retrain-old", "Failed", BASE.plusSeconds(7200),
        Map.of()));
    SEEDS.add(new Seed("ml", "retrain", "uid-retrain-new", "Succeeded", BASE.plusSeconds(7300),
        Map.of()));
    // Identical startedAt: paging must still visit each exactly once.
    for (int i = 0; i < 6; i++) {
      SEEDS.add(new Seed("ties", "tie-" + i, "uid-tie-" + i, "Succeeded",
          BASE.plusSeconds(10_000), Map.of()));
    }

    store = ArchiveStore.open(StoreConfig.of(db.jdbcUrl(), null, null));
    store.migrate();
    TestWorkflows.archive(store, SEEDS.stream().map(s -> TestWorkflows.workflow(s.namespace(),
        s.name(), s.uid(), s.phase(), s.startedAt(), s.labels())).collect(Collectors.toList()));
    server = ArchiveServer.start(store, ServerOptions.defaults().withPort(0)
        .withBindAddress("127.0.0.1"), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
        List.of());
    http = new HttpTestClient(server.port());
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (store != null) {
      store.close();
    }
    server = null;
    store = null;
  }

  /** The archive's order: newest startedAt first, ties by uid, descending. */
  private static final Comparator<Seed> ARCHIVE_ORDER =
      Comparator.comparing(Seed::startedAt).thenComparing(Seed::uid).reversed();

  /** Uids of the seeds that match, in the archive's order. */
  private static List<String> expected(Predicate<Seed> filter) {
    return SEEDS.stream().filter(filter).sorted(ARCHIVE_ORDER)
        .map(Seed::uid).collect(Collectors.toList());
  }

  private static List<String> uids(JsonNode page) {
    List<String> uids = new ArrayList<>();
    for (JsonNode item : page.get("items")) {
      uids.add(item.get("metadata").get("uid").asString());
    }
    return uids;
  }

  private static JsonNode ok(HttpTestClient.Response response) {
    assertThat(response.status()).as("%s", response).isEqualTo(200);
    assertThat(response.header("Content-Type")).startsWith("application/json");
    return response.json();
  }

  /** Follows {@code metadata.continue} to the end; every page's uids, in order. */
  private static List<List<String>> allPages(String query) {
    List<List<String>> pages = new ArrayList<>();
    String cont = null;
    do {
      String path = LIST + "?" + query
          + (cont == null ? "" : "&listOptions.continue=" + enc(cont));
      JsonNode page = ok(http.get(path));
      pages.add(uids(page));
      JsonNode next = page.get("metadata").get("continue");
      cont = next == null || next.asString().isEmpty() ? null : next.asString();
      assertThat(pages.size()).as("pages of %s", query).isLessThan(100);
    } while (cont != null);
    return pages;
  }

  private static void assertError(HttpTestClient.Response response, int status, int code,
      String... fragments) {
    assertThat(response.status()).as("%s", response).isEqualTo(status);
    assertThat(response.header("Content-Type")).startsWith("application/json");
    JsonNode body = response.json();
    assertThat(body.get("code").asInt()).as("%s", response).isEqualTo(code);
    assertThat(body.get("message").asString()).contains(fragments)
        .doesNotContain("Exception", "\tat ");
  }

  @Test
  void list_noParameters_givesNewestFirstWithPartialItems() {
    JsonNode page = ok(http.get(LIST));
    assertThat(uids(page))
        .containsExactlyElementsOf(expected(s -> true).subList(0, Math.min(50, SEEDS.size())));
    JsonNode first = page.get("items").get(0);
    assertThat(first.get("metadata").get("labels").get("workflows.argoproj.io/phase").asString())
        .isNotEmpty();
    assertThat(first.get("metadata").has("annotations")).isTrue();
    assertThat(first.get("spec").has("arguments")).isTrue();
    assertThat(first.get("spec").has("templates")).as("list items are partial").isFalse();
    assertThat(first.get("status").has("phase")).isTrue();
    assertThat(first.get("status").has("startedAt")).isTrue();
    assertThat(first.get("status").has("finishedAt")).isTrue();
    assertThat(first.get("status").has("nodes")).as("list items are partial").isFalse();
  }

  @Test
  void list_lastPage_hasNoContinue() {
    JsonNode page = ok(http.get(LIST + "?namespace=ml&listOptions.limit=100"));
    assertThat(uids(page)).containsExactlyElementsOf(expected(s -> s.namespace().equals("ml")));
    assertThat(page.get("metadata").has("continue")).isFalse();
  }

  @Test
  void list_nothingMatches_givesEmptyItems() {
    JsonNode page = ok(http.get(LIST + "?namespace=nowhere"));
    assertThat(page.get("items").isArray()).isTrue();
    assertThat(page.get("items")).isEmpty();
    assertThat(page.get("metadata").has("continue")).isFalse();
  }

  @Test
  void list_namespace_filters() {
    assertThat(uids(ok(http.get(LIST + "?namespace=ml"))))
        .containsExactlyElementsOf(expected(s -> s.namespace().equals("ml")));
    assertThat(uids(ok(http.get(LIST + "?listOptions.fieldSelector="
        + enc("metadata.namespace=ml")))))
        .containsExactlyElementsOf(expected(s -> s.namespace().equals("ml")));
  }

  @Test
  void list_namePrefix_filters() {
    assertThat(uids(ok(http.get(LIST + "?namePrefix=etl-"))))
        .containsExactlyElementsOf(expected(s -> s.name().startsWith("etl-")));
  }

  @Test
  void list_fieldSelectorName_matchesPerNameFilter() {
    String byName = LIST + "?listOptions.fieldSelector=" + enc("metadata.name=nightly-0");
    assertThat(uids(ok(http.get(byName))))
        .containsExactlyElementsOf(expected(s -> s.name().equals("nightly-0")))
        .isEmpty();
    assertThat(uids(ok(http.get(byName + "&nameFilter=Prefix"))))
        .containsExactlyElementsOf(expected(s -> s.name().startsWith("nightly-0")))
        .hasSize(10);
    assertThat(uids(ok(http.get(LIST + "?listOptions.fieldSelector="
        + enc("metadata.name=load") + "&nameFilter=Contains"))))
        .containsExactlyElementsOf(expected(s -> s.name().contains("load")))
        .hasSize(10);
    assertThat(uids(ok(http.get(LIST + "?listOptions.fieldSelector="
        + enc("metadata.name=retrain")))))
        .containsExactly("uid-retrain-new", "uid-retrain-old");
  }

  @Test
  void list_labelSelector_supportsEveryOperator() {
    String[] selectors = {
        "team=red", "team==blue", "team!=red", "team in (red,green)", "team notin (red,green)",
        "team", "!team", "tier gt 2", "tier lt 1", "team=red,workflows.argoproj.io/phase=Failed",
        "workflows.argoproj.io/workflow-archiving-status=Persisted"};
    for (String selector : selectors) {
      LabelSelector parsed = LabelSelector.parse(selector);
      assertThat(uids(ok(http.get(LIST + "?listOptions.limit=1000&listOptions.labelSelector="
          + enc(selector)))))
          .as(selector)
          .containsExactlyElementsOf(expected(s -> parsed.matches(s.allLabels())));
    }
  }

  @Test
  void list_startedAtBounds_includeTheBoundsAsArgo() {
    Instant after = BASE.plusSeconds(60L * 5);
    Instant before = BASE.plusSeconds(60L * 10);
    String query = "?listOptions.limit=1000&listOptions.fieldSelector="
        + enc("spec.startedAt>" + after + ",spec.startedAt<" + before);
    assertThat(uids(ok(http.get(LIST + query))))
        .containsExactlyElementsOf(expected(
            s -> !s.startedAt().isBefore(after) && !s.startedAt().isAfter(before)))
        .contains("uid-nightly-5", "uid-nightly-10", "uid-nightly-6", "uid-etl-5")
        .doesNotContain("uid-nightly-4", "uid-nightly-11");
  }

  @Test
  void list_everyFilterAtOnce_combines() {
    String query = "?namespace=argo&namePrefix=nightly&listOptions.labelSelector="
        + enc("team=red") + "&listOptions.fieldSelector="
        + enc("spec.startedAt>" + BASE.plusSeconds(60L * 3)) + "&listOptions.limit=3";
    JsonNode page = ok(http.get(LIST + query));
    assertThat(uids(page)).containsExactlyElementsOf(expected(s -> s.namespace().equals("argo")
        && s.name().startsWith("nightly") && "red".equals(s.labels().get("team"))
        && !s.startedAt().isBefore(BASE.plusSeconds(180))).subList(0, 3));
    assertThat(page.get("metadata").get("continue").asString()).isNotEmpty();
  }

  @Test
  void list_keysetPaging_visitsEveryRowOnceInOrder() {
    List<List<String>> pages = allPages("listOptions.limit=7");
    List<String> all = pages.stream().flatMap(List::stream).collect(Collectors.toList());
    assertThat(all).hasSize(SEEDS.size()).doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(expected(s -> true));
    for (int i = 0; i < pages.size() - 1; i++) {
      assertThat(pages.get(i)).hasSize(7);
    }
    // Newest first across page boundaries (ties may come in any order).
    Map<String, Instant> startedAt = SEEDS.stream()
        .collect(Collectors.toMap(Seed::uid, Seed::startedAt));
    for (int i = 1; i < all.size(); i++) {
      assertThat(startedAt.get(all.get(i))).isBeforeOrEqualTo(startedAt.get(all.get(i - 1)));
    }
  }

  @Test
  void list_keysetPagingThroughTies_visitsEachOnce() {
    List<String> all = allPages("namespace=ties&listOptions.limit=4").stream()
        .flatMap(List::stream).collect(Collectors.toList());
    assertThat(all).doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(expected(s -> s.namespace().equals("ties")));
  }

  @Test
  void list_keysetPagingWithFilters_keepsThem() {
    String query = "namespace=argo&listOptions.labelSelector=" + enc("team in (red,blue)")
        + "&listOptions.limit=4";
    List<String> all = allPages(query).stream().flatMap(List::stream)
        .collect(Collectors.toList());
    assertThat(all).containsExactlyElementsOf(expected(s -> s.namespace().equals("argo")
        && Set.of("red", "blue").contains(s.labels().get("team"))));
  }

  @Test
  void list_integerOffsetContinue_pagesAsArgoDoes() {
    List<String> everything = expected(s -> true);
    JsonNode page = ok(http.get(LIST + "?listOptions.limit=10&listOptions.continue=10"));
    assertThat(uids(page)).containsExactlyElementsOf(everything.subList(10, 20));
    assertThat(uids(ok(http.get(LIST + "?listOptions.limit=10&listOptions.continue=0"))))
        .containsExactlyElementsOf(everything.subList(0, 10));
    // Past the end: an empty last page.
    JsonNode past = ok(http.get(LIST + "?listOptions.continue=1000"));
    assertThat(past.get("items")).isEmpty();
    assertThat(past.get("metadata").has("continue")).isFalse();
  }

  @Test
  void list_limit_capsAndDefaults() {
    assertThat(uids(ok(http.get(LIST + "?listOptions.limit=3")))).hasSize(3);
    assertThat(uids(ok(http.get(LIST + "?listOptions.limit=100000"))))
        .hasSize(SEEDS.size());
  }

  @Test
  void list_badLabelSelector_is400NamingIt() {
    assertError(http.get(LIST + "?listOptions.labelSelector=" + enc("team in (red")), 400, 3,
        "listOptions.labelSelector", "team in (red");
  }

  @Test
  void list_badLimit_is400NamingIt() {
    assertError(http.get(LIST + "?listOptions.limit=many"), 400, 3, "listOptions.limit",
        "many");
    assertError(http.get(LIST + "?listOptions.limit=-5"), 400, 3, "listOptions.limit");
  }

  @Test
  void list_badFieldSelector_is400NamingIt() {
    assertError(http.get(LIST + "?listOptions.fieldSelector=" + enc("status.phase=Failed")),
        400, 3, "listOptions.fieldSelector", "status.phase=Failed");
  }

  @Test
  void list_badTimestamp_is400NamingIt() {
    assertError(http.get(LIST + "?listOptions.fieldSelector=" + enc("spec.startedAt>today")),
        400, 3, "spec.startedAt>", "RFC 3339", "today");
  }

  @Test
  void list_badNameFilter_is400NamingIt() {
    assertError(http.get(LIST + "?nameFilter=Regex"), 400, 3, "nameFilter", "Regex");
  }

  @Test
  void list_tamperedContinue_is400NamingIt() {
    assertError(http.get(LIST + "?listOptions.continue=not-a-real-cursor"), 400, 3,
        "listOptions.continue");
    assertError(http.get(LIST + "?listOptions.continue=-1"), 400, 3, "listOptions.continue");
  }

  @Test
  void get_byUid_givesTheWholePersistedWorkflow() {
    JsonNode wf = ok(http.get(LIST + "/uid-nightly-3"));
    assertThat(wf.get("metadata").get("name").asString()).isEqualTo("nightly-03");
    assertThat(wf.get("metadata").get("labels").get(WorkflowLabels.ARCHIVING_STATUS).asString())
        .isEqualTo(WorkflowLabels.STATUS_PERSISTED);
    assertThat(wf.get("spec").has("templates")).isTrue();
    assertThat(wf.get("status").get("nodes").has("nightly-03")).isTrue();
  }

  @Test
  void get_unknownUid_is404() {
    assertError(http.get(LIST + "/no-such-uid"), 404, 5, "no-such-uid");
    assertError(http.get(LIST + "/" + "x".repeat(200)), 404, 5, "not found");
  }

  @Test
  void get_byNamespaceAndName_givesTheLatest() {
    JsonNode wf = ok(http.get(LIST + "/?namespace=ml&name=retrain"));
    assertThat(wf.get("metadata").get("uid").asString()).isEqualTo("uid-retrain-new");
  }

  @Test
  void get_byNameWithoutNamespace_is400AndUnknownNameIs404() {
    assertError(http.get(LIST + "/?name=retrain"), 400, 3, "namespace");
    assertError(http.get(LIST + "/?namespace=ml&name=nope"), 404, 5, "nope", "ml");
  }

  @Test
  void delete_existing_removesItAndItsLabels() {
    TestWorkflows.archive(store, List.of(TestWorkflows.workflow("scratch", "doomed",
        "uid-doomed", "Failed", BASE, Map.of("doomed-only", "yes"))));
    assertThat(ok(http.get(LIST + "-label-keys")).toString()).contains("doomed-only");

    HttpTestClient.Response deleted = http.delete(LIST + "/uid-doomed");
    assertThat(ok(deleted).isObject()).isTrue();
    assertError(http.get(LIST + "/uid-doomed"), 404, 5, "uid-doomed");
    assertThat(ok(http.get(LIST + "-label-keys")).toString()).doesNotContain("doomed-only");
    assertError(http.delete(LIST + "/uid-doomed"), 404, 5, "uid-doomed");
  }

  @Test
  void delete_unknownUid_is404() {
    assertError(http.delete(LIST + "/never-archived"), 404, 5, "never-archived");
  }

  @Test
  void labelKeys_areEveryKeySorted() {
    JsonNode body = ok(http.get("/api/v1/archived-workflows-label-keys"));
    List<String> keys = new ArrayList<>();
    body.get("items").forEach(k -> keys.add(k.asString()));
    Set<String> expectedKeys = new HashSet<>();
    SEEDS.forEach(s -> expectedKeys.addAll(s.allLabels().keySet()));
    assertThat(keys).isSorted().containsExactlyInAnyOrderElementsOf(expectedKeys);
  }

  @Test
  void labelValues_areEveryValueOfTheKeySorted() {
    JsonNode body = ok(http.get("/api/v1/archived-workflows-label-values?"
        + "listOptions.labelSelector=team"));
    assertThat(body.has("metadata")).isTrue();
    List<String> values = new ArrayList<>();
    body.get("items").forEach(v -> values.add(v.asString()));
    assertThat(values).containsExactly("blue", "green", "red");
    JsonNode phases = ok(http.get("/api/v1/archived-workflows-label-values?"
        + "listOptions.labelSelector=" + enc(WorkflowLabels.PHASE)));
    assertThat(phases.get("items").toString()).contains("Error", "Failed", "Succeeded");
  }

  @Test
  void labelValues_notOneBareKey_is400() {
    String path = "/api/v1/archived-workflows-label-values?listOptions.labelSelector=";
    assertError(http.get(path + enc("team=red")), 400, 3, "listOptions.labelSelector",
        "team=red");
    assertError(http.get(path + enc("team,tier")), 400, 3, "exactly one label key");
    assertError(http.get("/api/v1/archived-workflows-label-values"), 400, 3,
        "listOptions.labelSelector is required");
  }
}
