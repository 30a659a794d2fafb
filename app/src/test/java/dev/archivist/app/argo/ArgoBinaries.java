package dev.archivist.app.argo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Argo Workflows' own binaries, the test peers of the interop tests: the folder
 * {@value #ENV} names, as {@code hack/argo/build.sh} prints it ({@code argo},
 * {@code workflow-controller}, and {@code crds/} with the same release's
 * CustomResourceDefinitions).
 *
 * <p>As an {@link ExecutionCondition} it disables the class, saying why, when the folder is not
 * set or incomplete; with {@value #REQUIRED_ENV}{@code =true} (as CI sets it) it leaves the class
 * enabled, and {@link #require()} then fails it with the same reason, so a CI machine without
 * Argo fails rather than skipping.
 */
public final class ArgoBinaries implements ExecutionCondition {
  static final String ENV = "ARCHIVIST_TEST_ARGO_BIN";
  static final String REQUIRED_ENV = "ARCHIVIST_TEST_ARGO_REQUIRED";

  private final Path dir;

  private ArgoBinaries(Path dir) {
    this.dir = dir;
  }

  /** Used by JUnit as an extension; use {@link #require()} for the binaries. */
  public ArgoBinaries() {
    this(null);
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    String reason = unavailableReason();
    if (reason == null) {
      return ConditionEvaluationResult.enabled("Argo binaries in " + System.getenv(ENV));
    }
    if (required()) {
      return ConditionEvaluationResult.enabled(REQUIRED_ENV + "=true: the test fails because "
          + reason);
    }
    return ConditionEvaluationResult.disabled(reason);
  }

  /**
   * The binaries.
   *
   * @throws IllegalStateException naming what is missing; only reached when they are required
   *     or the condition was not registered
   */
  static ArgoBinaries require() {
    String reason = unavailableReason();
    if (reason != null) {
      throw new IllegalStateException(reason);
    }
    return new ArgoBinaries(Path.of(System.getenv(ENV)));
  }

  static boolean required() {
    return "true".equalsIgnoreCase(System.getenv(REQUIRED_ENV));
  }

  /** Why the binaries cannot be used, or null when they can. */
  static String unavailableReason() {
    String env = System.getenv(ENV);
    if (env == null || env.isBlank()) {
      return ENV + " is unset: set it to the folder hack/argo/build.sh prints to run the tests"
          + " against the real Argo Server";
    }
    Path dir = Path.of(env.trim());
    for (String binary : List.of("argo", "workflow-controller")) {
      if (!Files.isExecutable(dir.resolve(binary))) {
        return ENV + "=" + dir + " has no executable " + binary + " (run hack/argo/build.sh)";
      }
    }
    if (!Files.isDirectory(dir.resolve("crds"))) {
      return ENV + "=" + dir + " has no crds/ folder (run hack/argo/build.sh)";
    }
    return null;
  }

  Path argo() {
    return dir.resolve("argo");
  }

  Path workflowController() {
    return dir.resolve("workflow-controller");
  }

  /** Argo's CustomResourceDefinitions, sorted by file name. */
  List<Path> crds() {
    try (Stream<Path> files = Files.list(dir.resolve("crds"))) {
      return files.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir.resolve("crds"), e);
    }
  }
}
