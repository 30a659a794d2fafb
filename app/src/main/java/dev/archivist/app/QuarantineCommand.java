package dev.archivist.app;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code archivist quarantine}: the workflows the controller stopped retrying. */
@Command(
    name = "quarantine",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "List quarantined workflows: those that failed --max-retries times.",
        "",
        "They stay in the cluster, unarchived, and are retried every"
            + " --quarantine-retry-period. Reads the database (--db) or a running"
            + " 'archivist run' (--server)."},
    footer = {"", "Example: archivist quarantine --server http://localhost:8080 -o json"})
final class QuarantineCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ListOutput output;

  @Mixin
  TargetOptions target;

  @Override
  public Integer call() {
    Main root = Main.root(spec);
    List<ObjectNode> items = target.withArchive(ArchiveAccess::quarantine);
    output.print(OutputFormat.json().createObjectNode(), items, "No quarantined workflows.",
        () -> table(items, root.clock().instant()));
    return ExitCodes.OK;
  }

  static String table(List<? extends JsonNode> items, Instant now) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("NAMESPACE", "NAME", "FAILURES", "SINCE", "UID", "LAST ERROR"));
    for (JsonNode q : items) {
      String since = q.path("since").asString("");
      String age;
      try {
        age = Durations.humanize(Duration.between(Instant.parse(since), now));
      } catch (DateTimeParseException e) {
        age = "-";
      }
      String error = q.path("lastError").asString("").replaceAll("\\s+", " ");
      rows.add(List.of(q.path("namespace").asString("-"), q.path("name").asString("-"),
          Integer.toString(q.path("failures").asInt()), age, q.path("uid").asString("-"),
          error.length() > 120 ? error.substring(0, 117) + "..." : error));
    }
    return WorkflowTable.align(rows);
  }
}
