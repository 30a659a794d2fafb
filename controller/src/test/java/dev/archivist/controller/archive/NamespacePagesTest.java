package dev.archivist.controller.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.archivist.controller.TestWorkflows;
import dev.archivist.controller.kube.WorkflowApi.Page;
import dev.archivist.controller.kube.WorkflowApiException;
import dev.archivist.core.WorkflowKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class NamespacePagesTest {
  private final List<String> calls = new ArrayList<>();

  private Page page(String next, String... names) {
    List<JsonNode> items = new ArrayList<>();
    for (String n : names) {
      items.add(TestWorkflows.completed("ns", n));
    }
    return new Page(items, next);
  }

  /** Pages of one workflow, continued at {@code c1}, whose list fails with {@code code}. */
  private NamespacePages failingAtC1(int code) {
    return new NamespacePages((ns, limit, token) -> {
      calls.add(String.valueOf(token));
      if ("c1".equals(token)) {
        throw new WorkflowApiException("LIST", new WorkflowKey(ns, ""), code, 1, null);
      }
      return page("c1", "a");
    });
  }

  @Test
  void next_continuesThePassThenStartsOver() throws Exception {
    NamespacePages pages = new NamespacePages((ns, limit, token) -> {
      calls.add(ns + ":" + limit + ":" + token);
      return token == null ? page("c1", "a", "b") : page(null, "c");
    });

    pages.next("ns", 2);
    pages.next("ns", 2);
    pages.next("ns", 2);
    pages.next("other", 2);

    assertThat(calls).containsExactly("ns:2:null", "ns:2:c1", "ns:2:null", "other:2:null");
  }

  @Test
  void next_expiredContinue_startsANewPass() throws Exception {
    NamespacePages pages = failingAtC1(410);

    pages.next("ns", 1);
    Page p = pages.next("ns", 1);

    assertThat(calls).containsExactly("null", "c1", "null");
    assertThat(p.items()).hasSize(1);
  }

  @Test
  void next_failedList_startsOverNextTime() throws Exception {
    NamespacePages pages = failingAtC1(503);

    pages.next("ns", 1);
    assertThatThrownBy(() -> pages.next("ns", 1)).isInstanceOf(WorkflowApiException.class);
    pages.next("ns", 1);

    assertThat(calls).containsExactly("null", "c1", "null");
  }
}
