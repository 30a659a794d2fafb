package dev.archivist.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class WorkflowTableTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void render_alignsColumnsAndHumanizesTimes() {
    Instant now = Instant.parse("2026-05-01T12:00:00Z");
    ObjectNode a = workflow("hello-world-x7k2p", "argo", "Succeeded", "2026-05-01T11:00:00Z",
        "2026-05-01T11:05:10Z", "uid-1");
    ObjectNode b = workflow("pipeline-with-loops-and-conditions-q2w4e", "ml-pipelines", "Failed",
        "2026-04-29T12:00:00Z", "2026-04-29T15:00:00Z", "uid-22");

    String table = WorkflowTable.render(List.of(a, b), now);

    List<String> lines = table.lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).startsWith("NAME").contains("NAMESPACE", "PHASE", "STARTED",
        "FINISHED", "DURATION", "UID");
    int namespaceColumn = lines.get(0).indexOf("NAMESPACE");
    int uidColumn = lines.get(0).indexOf("UID");
    for (String line : lines.subList(1, 3)) {
      assertThat(line.charAt(namespaceColumn - 1)).isEqualTo(' ');
      assertThat(line.charAt(namespaceColumn)).isNotEqualTo(' ');
      assertThat(line.substring(uidColumn)).startsWith("uid-");
    }
    assertThat(lines.get(1)).contains("Succeeded", "60m", "54m", "5m10s");
    assertThat(lines.get(2)).contains("Failed", "2d", "45h", "3h");
  }

  @Test
  void row_showsDashesForUnknownTimes() {
    ObjectNode wf = JSON.createObjectNode();
    wf.putObject("metadata").put("name", "x");

    assertThat(WorkflowTable.row(wf, Instant.EPOCH)).containsExactly("x", "-", "-", "-", "-",
        "-", "-");
  }

  static ObjectNode workflow(String name, String ns, String phase, String started,
      String finished, String uid) {
    ObjectNode wf = JSON.createObjectNode();
    wf.putObject("metadata").put("name", name).put("namespace", ns).put("uid", uid);
    wf.putObject("status").put("phase", phase).put("startedAt", started)
        .put("finishedAt", finished);
    return wf;
  }
}
