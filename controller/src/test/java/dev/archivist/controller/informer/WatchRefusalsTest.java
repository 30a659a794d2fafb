package dev.archivist.controller.informer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which scope a watch request is for, and which verb a refusal names. */
class WatchRefusalsTest {

  @Test
  void scope_namespacedAndClusterWideCollections() {
    assertThat(WatchRefusals.scope("/apis/argoproj.io/v1alpha1/namespaces/team-a/workflows"))
        .isEqualTo("team-a");
    assertThat(WatchRefusals.scope("/apis/argoproj.io/v1alpha1/workflows")).isEqualTo("*");
  }

  @Test
  void refusedVerb_fromTheServersWordsElseFromWhatFailed() {
    assertThat(WorkflowInformers.refusedVerb("workflows.argoproj.io is forbidden: User \"u\""
        + " cannot list resource \"workflows\" in API group \"argoproj.io\"", true))
        .isEqualTo("list");
    assertThat(WorkflowInformers.refusedVerb("Forbidden", true)).isEqualTo("watch");
    assertThat(WorkflowInformers.refusedVerb(null, false)).isEqualTo("list");
  }
}
