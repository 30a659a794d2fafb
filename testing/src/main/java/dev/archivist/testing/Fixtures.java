package dev.archivist.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Workflow fixtures written by other projects (Argo's, Kubeflow Pipelines'), which are not part
 * of the repository: the folder named by {@value #DIR_VARIABLE}, or else {@code fixtures} in the
 * repository, which git ignores. A fresh clone has neither, so every accessor skips the calling
 * test (a JUnit assumption with a message) when the folder is absent.
 */
public final class Fixtures {
  /** Set by surefire (root pom) to the repository root. */
  public static final String REPO_ROOT_PROPERTY = "archivist.repo.root";
  /** The environment variable naming the fixtures folder (with {@code argo/} and {@code kfp/}). */
  public static final String DIR_VARIABLE = "ARCHIVIST_FIXTURES_DIR";

  private Fixtures() {}

  /**
   * Where the fixtures sit for the repository at {@code repoRoot}: the folder
   * {@value #DIR_VARIABLE} names (a relative one from {@code repoRoot}), else
   * {@code repoRoot/fixtures}. The one place that knows; it may not exist.
   */
  public static Path locate(Path repoRoot) {
    String dir = System.getenv(DIR_VARIABLE);
    return repoRoot.resolve(dir == null || dir.isBlank() ? "fixtures" : dir).normalize();
  }

  /** Whether the fixtures subfolder {@code subfolder} is there, without skipping when it is not. */
  public static boolean present(String subfolder) {
    String root = System.getProperty(REPO_ROOT_PROPERTY);
    return root != null && !root.isBlank()
        && Files.isDirectory(locate(Path.of(root)).resolve(subfolder));
  }

  /** The fixtures folder; skips the calling test when it is absent. */
  public static Path directory() {
    String root = System.getProperty(REPO_ROOT_PROPERTY);
    Assumptions.assumeTrue(root != null && !root.isBlank(), () -> "system property "
        + REPO_ROOT_PROPERTY + " is unset (surefire sets it from the root pom), so the"
        + " fixtures cannot be located; skipping");
    Path dir = locate(Path.of(root));
    Assumptions.assumeTrue(Files.isDirectory(dir), () -> "fixtures folder " + dir
        + " is absent (set " + DIR_VARIABLE + " to the folder that holds argo/ and kfp/);"
        + " skipping");
    return dir;
  }

  /** The {@code *.yaml} files of one fixtures subfolder ({@code argo}, {@code kfp}), sorted. */
  public static List<Path> yamlFiles(String subfolder) {
    Path dir = directory().resolve(subfolder);
    Assumptions.assumeTrue(Files.isDirectory(dir), () -> "fixtures subfolder " + dir
        + " is absent; skipping");
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }
}
