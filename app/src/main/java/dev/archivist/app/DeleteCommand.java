package dev.archivist.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code archivist delete}: removes one archived workflow (the row and its labels). */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Delete one workflow from the archive (not from the cluster).",
        "",
        "Exits with 3 when there is no such workflow."},
    footer = {"", "Example: archivist delete 0b8d7d5e-4a1e-4c57-9a7c-3f4a5e6d7c8b --server"
        + " http://localhost:8080 --token-file ./token"})
final class DeleteCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "UID", description = "The workflow's UID.")
  String uid;

  @Mixin
  TargetOptions target;

  @Override
  public Integer call() {
    String u = uid.strip();
    if (u.isEmpty() || u.contains("/")) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "expected a workflow UID, got '" + uid + "'");
    }
    boolean deleted = target.withArchive(archive -> archive.delete(u));
    if (!deleted) {
      throw CommandFailedException.notFound("archived workflow " + u + " not found");
    }
    spec.commandLine().getOut().println("deleted archived workflow " + u);
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
