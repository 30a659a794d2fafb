package dev.archivist.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class WorkflowDocumentsTest {
  private static final Instant T = Instant.parse("2025-03-04T05:06:07Z");

  @Test
  void fromWorkflow_takesArgosColumnsAndMarksThePersistedCopy() {
    ObjectNode wf = TestWorkflows.workflow("u1", "ns1", "wf1", Map.of("app", "x"), T, 100);
    String before = wf.toString();
    WorkflowDocument d = WorkflowDocuments.fromWorkflow(wf, TestWorkflows.NOW);
    assertThat(d.uid()).isEqualTo("u1");
    assertThat(d.name()).isEqualTo("wf1");
    assertThat(d.namespace()).isEqualTo("ns1");
    assertThat(d.phase()).isEqualTo("Succeeded");
    assertThat(d.startedAt()).isEqualTo(T);
    assertThat(d.finishedAt()).isEqualTo(T.plusSeconds(60));
    assertThat(d.creationTimestamp()).isEqualTo(T.minusSeconds(5));
    assertThat(d.labels()).containsEntry("app", "x")
        .containsEntry("workflows.argoproj.io/workflow-archiving-status", "Persisted");
    JsonNode stored = TestWorkflows.JSON.readTree(d.json());
    assertThat(stored.at("/metadata/labels/workflows.argoproj.io~1workflow-archiving-status")
        .stringValue()).isEqualTo("Persisted");
    assertThat(wf.toString()).as("the caller's object is not modified").isEqualTo(before);
  }

  @Test
  void fromWorkflow_storesWhatArgoStoresNoManagedFieldsAndAlwaysLabels() {
    ObjectNode wf = TestWorkflows.workflow("u1", "ns1", "wf1", Map.of(), T, 0);
    ObjectNode md = (ObjectNode) wf.get("metadata");
    md.remove("labels");
    md.putArray("managedFields").addObject().put("manager", "workflow-controller");
    WorkflowDocument d = WorkflowDocuments.fromWorkflow(wf, TestWorkflows.NOW);
    JsonNode stored = TestWorkflows.JSON.readTree(d.json());
    assertThat(stored.get("metadata").has("managedFields")).isFalse();
    assertThat(stored.at("/metadata/labels").isObject()).isTrue();
    assertThat(d.creationTimestamp()).isEqualTo(T.minusSeconds(5));
    assertThat(md.has("managedFields")).as("the caller's object is not modified").isTrue();
  }

  @Test
  void fromWorkflow_missingStatusAndBadTimestampsFallBack() {
    ObjectNode wf = TestWorkflows.workflow("u1", "ns", "wf", Map.of(), T, 0);
    wf.remove("status");
    WorkflowDocument d = WorkflowDocuments.fromWorkflow(wf, TestWorkflows.NOW);
    assertThat(d.phase()).isEmpty();
    assertThat(d.startedAt()).isEqualTo(T.minusSeconds(5)); // creationTimestamp
    assertThat(d.finishedAt()).isEqualTo(TestWorkflows.NOW);

    ObjectNode bad = TestWorkflows.workflow("u2", "ns", "wf", Map.of(), T, 0);
    ((ObjectNode) bad.get("status")).put("startedAt", "yesterday").put("finishedAt", "");
    ((ObjectNode) bad.get("metadata")).remove("creationTimestamp");
    WorkflowDocument b = WorkflowDocuments.fromWorkflow(bad, TestWorkflows.NOW);
    assertThat(b.startedAt()).isEqualTo(TestWorkflows.NOW);
    assertThat(b.finishedAt()).isEqualTo(TestWorkflows.NOW);
    assertThat(b.creationTimestamp()).isEqualTo(TestWorkflows.NOW);
  }

  @Test
  void fromWorkflow_offsetTimestampsAreNormalisedToUtc() {
    ObjectNode wf = TestWorkflows.workflow("u1", "ns", "wf", Map.of(), T, 0);
    ((ObjectNode) wf.get("status")).put("startedAt", "2025-03-04T07:06:07+02:00");
    assertThat(WorkflowDocuments.fromWorkflow(wf, TestWorkflows.NOW).startedAt()).isEqualTo(T);
  }

  @Test
  void fromWorkflow_rejectsWhatCannotBeArchivedNamingTheProblem() {
    assertThatThrownBy(() -> WorkflowDocuments.fromWorkflow(
        TestWorkflows.JSON.readTree("[1]"), T))
        .isInstanceOf(MalformedWorkflowException.class).hasMessageContaining("not a JSON object");
    ObjectNode noUid = TestWorkflows.workflow("u", "ns", "wf", Map.of(), T, 0);
    ((ObjectNode) noUid.get("metadata")).remove("uid");
    assertThatThrownBy(() -> WorkflowDocuments.fromWorkflow(noUid, T))
        .isInstanceOf(MalformedWorkflowException.class).hasMessageContaining("metadata.uid");
    ObjectNode noName = TestWorkflows.workflow("u", "ns", "wf", Map.of(), T, 0);
    ((ObjectNode) noName.get("metadata")).remove("name");
    assertThatThrownBy(() -> WorkflowDocuments.fromWorkflow(noName, T))
        .isInstanceOf(MalformedWorkflowException.class).hasMessageContaining("metadata.name");
    ObjectNode stringStatus = TestWorkflows.workflow("u", "ns", "wf", Map.of(), T, 0);
    stringStatus.put("status", "Succeeded");
    assertThatThrownBy(() -> WorkflowDocuments.fromWorkflow(stringStatus, T))
        .isInstanceOf(MalformedWorkflowException.class)
        .hasMessageContaining("status is a STRING, expected an object");
    ObjectNode numericLabel = TestWorkflows.workflow("u", "ns", "wf", Map.of(), T, 0);
    ((ObjectNode) numericLabel.at("/metadata/labels")).put("n", 5);
    assertThatThrownBy(() -> WorkflowDocuments.fromWorkflow(numericLabel, T))
        .isInstanceOf(MalformedWorkflowException.class).hasMessageContaining("label n");
  }

  @Test
  void postgresNul_escapesOnlyRealNulsAndRoundTrips() {
    String json = TestWorkflows.JSON.writeValueAsString(Map.of("a", "x\u0000y", "b", "\\u0000"));
    String escaped = PostgresNul.escape(json);
    assertThat(escaped).doesNotContain("x\\u0000y").contains(PostgresNul.TOKEN)
        .contains("\\\\u0000");
    assertThat(PostgresNul.unescape(escaped)).isEqualTo(json);
    assertThat(PostgresNul.escape("{}")).isEqualTo("{}");
  }

  @Test
  void continueToken_roundTripsAndRejectsForeignTokens() {
    String t = ContinueToken.keyset(T.plusNanos(123_000), "uid|with|bars");
    assertThat(ContinueToken.parse(t))
        .isEqualTo(new ContinueToken.Keyset(T.plusNanos(123_000), "uid|with|bars"));
    assertThat(ContinueToken.parse("150")).isEqualTo(new ContinueToken.Offset(150));
    assertThat(ContinueToken.parse(null)).isNull();
    assertThatThrownBy(() -> ContinueToken.parse("not a token!"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid continue");
    assertThatThrownBy(() -> ContinueToken.parse("eHl6"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid continue");
    assertThatThrownBy(() -> ContinueToken.parse("99999999999"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("larger than");
  }

  @Test
  void likeEscape_makesWildcardsLiteral() {
    assertThat(ListQueries.likeEscape("a%b_c!d")).isEqualTo("a!%b!_c!!d");
  }

  @Test
  void dialect_fromJdbcUrlRejectsOthersWithoutThePassword() {
    assertThat(Dialect.fromJdbcUrl("jdbc:postgresql://h/db")).isEqualTo(Dialect.POSTGRESQL);
    assertThat(Dialect.fromJdbcUrl("jdbc:mariadb://h/db")).isEqualTo(Dialect.MYSQL);
    assertThat(Dialect.fromJdbcUrl("jdbc:mysql://h/db")).isEqualTo(Dialect.MYSQL);
    assertThatThrownBy(() -> Dialect.fromJdbcUrl("jdbc:oracle://h/db?password=hunter2"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--db")
        .hasMessageNotContaining("hunter2");
    assertThat(Dialect.MYSQL.driverUrl("jdbc:mysql://h/db"))
        .isEqualTo("jdbc:mysql://h/db?permitMysqlScheme");
  }
}
