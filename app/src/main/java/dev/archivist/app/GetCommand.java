package dev.archivist.app;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ObjectNode;

/** {@code archivist get}: one archived workflow, whole. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Print one archived workflow, by UID or NAMESPACE/NAME.",
        "",
        "Prints the whole workflow as stored. NAMESPACE/NAME picks the latest (by start time)"
            + " of that name.",
        "",
        "Exits with 3 when there is no such workflow."},
    footer = {"", "Examples:",
        "  archivist get 0b8d7d5e-4a1e-4c57-9a7c-3f4a5e6d7c8b --server http://localhost:8080",
        "  archivist get argo/hello-world-x7k2p --db jdbc:postgresql://localhost/argo -o json"})
final class GetCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "UID|NAMESPACE/NAME",
      description = "The workflow's UID, or NAMESPACE/NAME for the latest of that name.")
  String ref;

  @Option(names = {"--output", "-o"}, paramLabel = "FORMAT", defaultValue = "yaml",
      description = "json or yaml (default: ${DEFAULT-VALUE}).")
  OutputFormat output;

  @Mixin
  TargetOptions target;

  @Override
  public Integer call() {
    if (output == OutputFormat.TABLE) {
      throw Flags.invalid(spec, "--output", "must be json or yaml for get, got table");
    }
    String r = ref.strip();
    int slash = r.indexOf('/');
    if (r.isEmpty() || slash == 0 || slash == r.length() - 1 || r.indexOf('/', slash + 1) >= 0) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "expected a UID or NAMESPACE/NAME, got '" + ref + "'");
    }
    Optional<ObjectNode> found = target.withArchive(archive -> slash < 0 ? archive.get(r)
        : archive.getLatest(r.substring(0, slash), r.substring(slash + 1)));
    if (found.isEmpty()) {
      throw CommandFailedException.notFound("archived workflow " + r + " not found"
          + (slash < 0 ? "" : " (looked for the latest of that namespace and name)"));
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(OutputFormat.render(found.get(), output));
    out.flush();
    return ExitCodes.OK;
  }
}
