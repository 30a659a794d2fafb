package dev.archivist.controller.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.controller.TestWorkflows;
import dev.archivist.controller.archive.KeyOutcome.Deferred;
import dev.archivist.controller.archive.KeyOutcome.SkipReason;
import dev.archivist.controller.archive.KeyOutcome.Skipped;
import dev.archivist.controller.kube.KubeOutages;
import dev.archivist.controller.kube.WorkflowApi;
import dev.archivist.core.LabelSelector;
import dev.archivist.core.WorkflowKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class BatchReaderTest {
  private final List<String> calls = new ArrayList<>();
  private final List<Integer> limits = new ArrayList<>();
  /** What the informers hold: key → resourceVersion. */
  private final Map<WorkflowKey, String> informed = new HashMap<>();
  /** What the API server has: name → resourceVersion, in list order. */
  private final Map<String, String> server = new java.util.LinkedHashMap<>();

  private final WorkflowApi api = new WorkflowApi() {
    @Override
    public Optional<JsonNode> get(WorkflowKey key) {
      calls.add("get " + key.name());
      String rv = server.get(key.name());
      return rv == null ? Optional.empty() : Optional.of(workflow(key.name(), rv));
    }

    @Override
    public Page list(String namespace, String selector, int limit, String continueToken) {
      calls.add("list");
      limits.add(limit);
      List<JsonNode> items = new ArrayList<>();
      server.forEach((name, rv) -> items.add(workflow(name, rv)));
      return new Page(items.subList(0, Math.min(limit, items.size())), null);
    }

    @Override
    public MarkResult markArchived(WorkflowKey key, Marking marking) {
      throw new AssertionError("the reader never marks");
    }
  };

  private BatchReader reader(boolean pages) {
    return reader(pages, ReadBudget.unbounded());
  }

  private BatchReader reader(boolean pages, ReadBudget budget) {
    return new BatchReader(api, LabelSelector.everything(), "", Clock.systemUTC(),
        new BatchReader.Informed() {
          @Override
          public String resourceVersion(WorkflowKey key) {
            return informed.get(key);
          }

          @Override
          public boolean pagesEnabled() {
            return pages;
          }
        }, 50, k -> false, KubeOutages.ignored(), budget);
  }

  private static ObjectNode workflow(String name, String rv) {
    ObjectNode wf = TestWorkflows.completed("ns", name);
    ((ObjectNode) wf.get("metadata")).put("uid", "uid-" + name).put("resourceVersion", rv);
    return wf;
  }

  private void pending(String name, String rv) {
    informed.put(key(name), rv);
    server.put(name, rv);
  }

  private static WorkflowKey key(String name) {
    return new WorkflowKey("ns", name);
  }

  @Test
  void read_byPage_archivesTheWholePageWithOneList() throws Exception {
    pending("a", "1");
    pending("b", "1");
    pending("c", "1");

    BatchReader.Result r = reader(true).read(List.of(key("a"), key("b")));

    assertThat(calls).containsExactly("list");
    assertThat(r.outcomes()).isEmpty();
    assertThat(r.reads()).extracting(x -> x.key().name() + (x.held() ? "" : "*"))
        .containsExactly("a", "b", "c*");
    assertThat(r.claimed()).containsExactlyInAnyOrder(key("a"), key("b"), key("c"));
  }

  @Test
  void read_largeWorkflows_askForAPageThatFitsHalfTheBudget() throws Exception {
    for (int i = 0; i < 10; i++) {
      pending("w" + i, "1");
    }
    ReadBudget budget = new ReadBudget(1000);
    for (int i = 0; i < 60; i++) {
      budget.observe(100, 1); // the average converges on 100 bytes
    }

    BatchReader.Result r = reader(true, budget).read(List.of(key("w0"), key("w1")));

    // Half of 1000 bytes at 100 bytes a workflow: pages of 5 instead of the batch size (50).
    assertThat(limits).containsExactly(5);
    assertThat(r.reads()).hasSize(5);
    assertThat(r.reservation().held()).isEqualTo(500);
    assertThat(budget.used()).isEqualTo(500);
  }

  @Test
  void release_givesTheReservationBack() throws Exception {
    pending("a", "1");
    ReadBudget budget = new ReadBudget(1_000_000);
    BatchReader reader = reader(true, budget);
    BatchReader.Result r = reader.read(List.of(key("a")));
    assertThat(budget.used()).isPositive();

    reader.release(r);

    assertThat(budget.used()).isZero();
    assertThat(reader.read(List.of(key("a"))).outcomes()).noneMatch(o -> o instanceof Deferred);
  }

  @Test
  void read_keyTheInformersDropped_isSkippedWithoutARequest() throws Exception {
    server.put("gone", "1");

    BatchReader.Result r = reader(true).read(List.of(key("gone")));

    assertThat(calls).isEmpty();
    assertThat(r.outcomes()).containsExactly(new Skipped(key("gone"), SkipReason.LEFT_INFORMER));
  }

  @Test
  void read_pageOlderThanTheInformers_takesNothingStale() throws Exception {
    pending("a", "1");
    pending("b", "1");
    informed.put(key("a"), "2"); // changed since: the page's copy is stale

    BatchReader.Result r = reader(true).read(List.of(key("a")));

    // b made progress on the page, so a waits for a later page instead of a GET.
    assertThat(calls).containsExactly("list");
    assertThat(r.reads()).extracting(x -> x.key().name()).containsExactly("b");
    assertThat(r.outcomes()).containsExactly(new Deferred(key("a")));
    assertThat(r.claimed()).containsExactly(key("b"));
  }

  @Test
  void read_pageWithNothingToTake_fallsBackToAGet() throws Exception {
    pending("a", "1");
    informed.put(key("a"), "2"); // the page's copy is stale and there is nothing else on it

    BatchReader.Result r = reader(true).read(List.of(key("a")));

    assertThat(calls).containsExactly("list", "get a");
    assertThat(r.reads()).extracting(x -> x.key().name()).containsExactly("a");
    assertThat(r.outcomes()).isEmpty();
  }

  @Test
  void read_keyClaimedByAnotherWorkersPage_isDeferred() throws Exception {
    pending("a", "1");
    pending("b", "1");
    BatchReader reader = reader(true);
    BatchReader.Result first = reader.read(List.of(key("a")));
    assertThat(first.claimed()).contains(key("b"));

    BatchReader.Result second = reader.read(List.of(key("b")));
    assertThat(second.outcomes()).containsExactly(new Deferred(key("b")));

    reader.release(first);
    calls.clear();
    BatchReader.Result third = reader.read(List.of(key("b")));
    assertThat(third.outcomes()).isEmpty();
    assertThat(third.reads()).extracting(x -> x.key().name()).contains("b");
  }

  @Test
  void read_pageWhoseItemsOthersHaveClaimed_defersTheHeldKeyWithoutAGet() throws Exception {
    pending("a", "1");
    pending("b", "1");
    informed.put(key("c"), "1"); // due, but not on the pages this pass
    BatchReader reader = reader(true);
    BatchReader.Result first = reader.read(List.of(key("a")));
    assertThat(first.claimed()).contains(key("a"), key("b"));
    calls.clear();

    BatchReader.Result second = reader.read(List.of(key("c")));

    // Another worker is archiving what the page brought: c waits for a later page.
    assertThat(calls).containsExactly("list");
    assertThat(second.outcomes()).containsExactly(new Deferred(key("c")));
    assertThat(second.reads()).isEmpty();
  }

  @Test
  void read_withoutPages_getsEachKey() throws Exception {
    pending("a", "1");
    pending("b", "1");

    BatchReader.Result r = reader(false).read(List.of(key("a"), key("b")));

    assertThat(calls).containsExactly("get a", "get b");
    assertThat(r.reads()).allMatch(BatchReader.Read::held);
  }
}
