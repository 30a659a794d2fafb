package dev.archivist.controller.informer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.core.LabelSelector;
import dev.archivist.core.WorkflowLabels;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InformerSelectorTest {

  @Test
  void archiveCandidates_withoutInstanceId_excludesWorkflowsOfAnyInstance() {
    LabelSelector s = InformerSelector.archiveCandidates("", LabelSelector.everything());

    assertThat(InformerSelector.render(s)).isEqualTo(WorkflowLabels.COMPLETED + "=true,"
        + WorkflowLabels.ARCHIVING_STATUS + "!=Archived,!"
        + WorkflowLabels.CONTROLLER_INSTANCE_ID);
    assertThat(s.matches(Map.of(WorkflowLabels.COMPLETED, "true"))).isTrue();
    assertThat(s.matches(Map.of(WorkflowLabels.COMPLETED, "true",
        WorkflowLabels.CONTROLLER_INSTANCE_ID, "x"))).isFalse();
  }

  @Test
  void archiveCandidates_withInstanceId_selectsOnlyThatInstance() {
    LabelSelector s = InformerSelector.archiveCandidates("blue", LabelSelector.parse("team=a"));

    assertThat(InformerSelector.render(s)).isEqualTo(WorkflowLabels.COMPLETED + "=true,"
        + WorkflowLabels.ARCHIVING_STATUS + "!=Archived,"
        + WorkflowLabels.CONTROLLER_INSTANCE_ID + "=blue,team=a");
    assertThat(s.matches(Map.of(WorkflowLabels.COMPLETED, "true", "team", "a",
        WorkflowLabels.CONTROLLER_INSTANCE_ID, "blue"))).isTrue();
    assertThat(s.matches(Map.of(WorkflowLabels.COMPLETED, "true", "team", "a"))).isFalse();
    assertThat(s.matches(Map.of(WorkflowLabels.COMPLETED, "true", "team", "b",
        WorkflowLabels.CONTROLLER_INSTANCE_ID, "blue"))).isFalse();
    assertThat(s.matches(Map.of(WorkflowLabels.COMPLETED, "true", "team", "a",
        WorkflowLabels.CONTROLLER_INSTANCE_ID, "blue",
        WorkflowLabels.ARCHIVING_STATUS, "Archived"))).isFalse();
  }

  @Test
  void render_numericComparisons_useTheApiServersOperators() {
    LabelSelector s = LabelSelector.parse("size gt 5,age lt 3,tier in (a,b),!gone");

    assertThat(InformerSelector.render(s)).isEqualTo("age<3,!gone,size>5,tier in (a,b)");
  }
}
