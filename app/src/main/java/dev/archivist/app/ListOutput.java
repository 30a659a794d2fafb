package dev.archivist.app;

import java.io.PrintWriter;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code --output} of the commands that print a list ({@code list}, {@code quarantine}). */
final class ListOutput {
  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(names = {"--output", "-o"}, paramLabel = "FORMAT", defaultValue = "table",
      description = "table, json or yaml (default: ${DEFAULT-VALUE}).")
  OutputFormat format;

  boolean isTable() {
    return format == OutputFormat.TABLE;
  }

  /**
   * Prints the command's answer and flushes: as a table, {@code table} on stdout, or
   * {@code none} on stderr when there are no items; as JSON or YAML, {@code list} with the items
   * under {@code items}.
   */
  void print(ObjectNode list, List<? extends JsonNode> items, String none,
      Supplier<String> table) {
    PrintWriter out = spec.commandLine().getOut();
    if (isTable()) {
      if (items.isEmpty()) {
        spec.commandLine().getErr().println(none);
      } else {
        out.print(table.get());
      }
    } else {
      ArrayNode array = list.putArray("items");
      items.forEach(array::add);
      out.print(OutputFormat.render(list, format));
    }
    out.flush();
    spec.commandLine().getErr().flush();
  }
}
