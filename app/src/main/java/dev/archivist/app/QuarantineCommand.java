package dev.archivist.app;

import dev.archivist.store.ArchiveStore;
import dev.archivist.store.QuarantineEntry;
import dev.archivist.store.StoreConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code archivist quarantine}: the workflows the controller stopped retrying at full speed. */
@Command(
    name = "quarantine",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "List quarantined workflows: those that failed --max-retries times for a reason of"
            + " their own (a row the database rejects, a malformed object, ...).",
        "",
        "The controller retries each one every --quarantine-retry-period, never labels it"
            + " Archived meanwhile, and never deletes it. One leaves quarantine when an attempt"
            + " succeeds, so fix the cause (the error says what) and wait for the next attempt."
            + " Reads the database (--db), where the controller records them."},
    footer = {"", "Example:",
        "  archivist quarantine --db jdbc:postgresql://localhost/argo -o json"})
final class QuarantineCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  DatabaseOptions db;

  @Mixin
  ScopeOptions scope;

  @Option(names = {"--output", "-o"}, paramLabel = "FORMAT", defaultValue = "table",
      description = "table, json or yaml (default: ${DEFAULT-VALUE}).")
  OutputFormat output;

  @Override
  public Integer call() {
    Main root = Main.root(spec);
    db.validate();
    scope.validate();
    if (!db.isSet()) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "give --db JDBC_URL (the archive database), or set ARCHIVIST_DB");
    }
    StoreConfig config = StoreConfig.of(db.url.strip(), db.user, db.password(root.env()))
        .withScope(scope.clusterName, scope.instanceId);
    List<QuarantineEntry> entries;
    try (ArchiveStore store = Archives.openStore(config)) {
      entries = store.quarantine().list();
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output == OutputFormat.TABLE) {
      if (entries.isEmpty()) {
        spec.commandLine().getErr().println("No workflows in quarantine.");
      } else {
        out.print(table(entries, root.clock().instant()));
      }
    } else {
      ObjectNode list = OutputFormat.json().createObjectNode();
      ArrayNode items = list.putArray("items");
      for (QuarantineEntry e : entries) {
        items.addObject()
            .put("namespace", e.namespace())
            .put("name", e.name())
            .put("uid", e.uid())
            .put("attempts", e.attempts())
            .put("lastError", e.lastError())
            .put("since", e.firstFailedAt().toString())
            .put("lastAttempt", e.lastFailedAt().toString());
      }
      out.print(OutputFormat.render(list, output));
    }
    out.flush();
    spec.commandLine().getErr().flush();
    return ExitCodes.OK;
  }

  /** Aligned columns; the error is last and cut at 100 characters (json has it whole). */
  static String table(List<QuarantineEntry> entries, Instant now) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("NAMESPACE", "NAME", "ATTEMPTS", "SINCE", "LAST ATTEMPT", "LAST ERROR"));
    for (QuarantineEntry e : entries) {
      String error = e.lastError().replace('\n', ' ');
      rows.add(List.of(e.namespace(), e.name(), Integer.toString(e.attempts()),
          ago(e.firstFailedAt(), now), ago(e.lastFailedAt(), now),
          error.length() > 100 ? error.substring(0, 97) + "..." : error));
    }
    int columns = rows.get(0).size();
    int[] width = new int[columns];
    for (List<String> row : rows) {
      for (int i = 0; i < columns; i++) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (List<String> row : rows) {
      for (int i = 0; i < columns; i++) {
        String cell = row.get(i);
        sb.append(cell);
        if (i < columns - 1) {
          sb.append(" ".repeat(width[i] - cell.length() + 3));
        }
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static String ago(Instant then, Instant now) {
    Duration d = Duration.between(then, now);
    return (d.isNegative() ? "0s" : Durations.humanize(d)) + " ago";
  }
}
