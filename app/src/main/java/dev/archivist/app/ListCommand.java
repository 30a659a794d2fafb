package dev.archivist.app;

import dev.archivist.core.LabelSelector;
import dev.archivist.store.ListQuery;
import dev.archivist.store.NameFilter;
import dev.archivist.store.Page;
import java.time.Instant;
import java.util.concurrent.Callable;
import tools.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code archivist list}: one page of archived workflows, newest first. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "List archived workflows, newest first, one page at a time.",
        "",
        "Reads the database (--db) or a running server (--server). When there are more, the"
            + " token for the next page is printed on stderr (table) or in metadata.continue"
            + " (json, yaml)."},
    footer = {"", "Examples:",
        "  archivist list --server http://localhost:8080",
        "  archivist list --db jdbc:postgresql://localhost/argo -n argo -l"
            + " workflows.argoproj.io/phase=Failed --since 24h -o json"})
final class ListCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = {"--namespace", "-n"}, paramLabel = "NAMESPACE",
      description = "Only this namespace (default: all).")
  String namespace;

  @Option(names = {"--selector", "-l"}, paramLabel = "SELECTOR",
      description = "A Kubernetes label selector, e.g. 'workflows.argoproj.io/phase in"
          + " (Failed,Error)'.")
  String selector;

  @Option(names = "--name-prefix", paramLabel = "PREFIX",
      description = "Only names starting with PREFIX.")
  String namePrefix;

  @Option(names = "--since", paramLabel = "WHEN",
      description = "Only workflows started after WHEN: a duration back from now (24h, 90m,"
          + " 7d) or an RFC 3339 time (2024-05-01T00:00:00Z).")
  String since;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
      description = "Workflows per page, 1 to " + ListQuery.MAX_LIMIT
          + " (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--continue", paramLabel = "TOKEN",
      description = "The token of the previous page, to get the next one.")
  String continueToken;

  @Mixin
  ListOutput output;

  @Mixin
  TargetOptions target;

  @Override
  public Integer call() {
    Main root = Main.root(spec);
    ListQuery query = query(root.clock().instant());
    Page page = target.withArchive(archive -> archive.list(query));
    ObjectNode list = OutputFormat.json().createObjectNode();
    ObjectNode metadata = list.putObject("metadata");
    if (page.continueToken() != null) {
      metadata.put("continue", page.continueToken());
    }
    output.print(list, page.items(), "No archived workflows found.",
        () -> WorkflowTable.render(page.items(), root.clock().instant()));
    if (output.isTable() && page.continueToken() != null) {
      spec.commandLine().getErr().println("More: add --continue " + page.continueToken());
      spec.commandLine().getErr().flush();
    }
    return ExitCodes.OK;
  }

  private ListQuery query(Instant now) {
    Flags.inRange(spec, "--limit", limit, 1, ListQuery.MAX_LIMIT);
    LabelSelector labels = Flags.labelSelector(spec, "--selector", selector);
    Instant after = null;
    if (since != null && !since.isBlank()) {
      try {
        after = Durations.sinceInstant(since, now);
      } catch (IllegalArgumentException e) {
        throw Flags.invalid(spec, "--since", "must be a duration (24h) or an RFC 3339 time"
            + " (2024-05-01T00:00:00Z), got '" + since + "'");
      }
    }
    boolean prefix = namePrefix != null && !namePrefix.isEmpty();
    return new ListQuery(blankToNull(namespace), prefix ? namePrefix : null,
        prefix ? NameFilter.PREFIX : NameFilter.EXACT, labels, after, null, limit,
        blankToNull(continueToken));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
