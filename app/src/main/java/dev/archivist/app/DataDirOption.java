package dev.archivist.app;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --data-dir}, for the commands that fall back to the embedded PostgreSQL (run, serve). */
final class DataDirOption {
  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "archivist-data",
      description = "Where the embedded PostgreSQL keeps its data when no --db is given"
          + " (default: ./${DEFAULT-VALUE}).")
  Path dataDir;
}
