package dev.archivist.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.testing.PostgresExtension;
import dev.archivist.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import dev.archivist.server.RuleAccess;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The archive browser in a real browser: Debian's Chromium driven by {@code ui-tests/
 * browser-test.mjs} (playwright-core), against the real server over a real PostgreSQL archive of
 * a few hundred generated workflows with node trees. Skips, saying what is missing, without
 * Chromium, Node or {@code ui-tests/node_modules}.
 *
 * <p>One browser session covers every check, because starting Chromium is the slow part: a
 * second, read-only server over the same archive is checked at the end, and a third that asks
 * for a token and lets the viewer see one namespace and delete nothing.
 *
 * <p>Screenshots go to {@code server/target/ui-screenshots/}: {@code list.png},
 * {@code list-filtered.png}, {@code detail.png}, and the others docs/ui.md lists.
 */
@ExtendWith(PostgresExtension.class)
class BrowserTest {
  private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(5);
  private static final int WORKFLOWS = 320;
  private static final String VIEWER_TOKEN = "viewer-token-for-the-browser";

  /** What the script checks, in its order; each must print PASS. */
  private static final List<String> CHECKS = List.of("list-renders",
      "filter-namespace-and-phase", "filter-name-label-time", "bad-selector-shows-server-message",
      "paging-next-previous", "detail-shows-node-tree", "delete-with-confirmation",
      "api-down-and-metrics-unavailable", "narrow-viewport", "read-only-delete",
      "sign-in", "delete-forbidden-403", "sign-out", "no-script-errors");

  @Test
  void archiveBrowser_listsFiltersPagesShowsNodesDeletes_andCannotDeleteWhenReadOnly(
      TestDatabase db) {
    Path node = BrowserScript.assumeToolsPresent();
    Path shots = BrowserScript.screenshotDir("");
    try (ArchiveFixture archive = new ArchiveFixture(db)) {
      archive.archive(new SampleWorkflows(8, ArchiveFixture.NEWEST)
          .generate(WORKFLOWS, Duration.ofMinutes(7), 6), 100);
      archive.queueDepth.set(3);
      String baseUrl = archive.start(false);
      String readOnlyUrl = archive.start(true);
      // Sign-in: a viewer who may list and get in "ci" only, and delete nowhere.
      String signInUrl = archive.start(false, new RuleAccess(Map.of(VIEWER_TOKEN, "viewer"),
          Set.of("viewer list ci", "viewer get ci")));

      BrowserScript.Result result = BrowserScript.run(node, "browser-test.mjs", baseUrl, shots,
          SCRIPT_TIMEOUT, "--archived=" + WORKFLOWS, "--readonly-url=" + readOnlyUrl,
          "--signin-url=" + signInUrl, "--signin-token=" + VIEWER_TOKEN,
          "--signin-namespace=ci");

      assertThat(result.timedOut()).as("script timed out after %s:\n%s", SCRIPT_TIMEOUT,
          result.output()).isFalse();
      for (String check : CHECKS) {
        assertThat(result.lines()).as("output:\n%s", result.output())
            .anyMatch(line -> line.startsWith("PASS " + check + ":"));
      }
      assertThat(result.lines()).as("output:\n%s", result.output())
          .noneMatch(line -> line.startsWith("FAIL "))
          .anyMatch(line -> line.startsWith("SUMMARY checks=" + CHECKS.size() + " failed=0"));
      assertThat(result.exitCode()).as("exit code; output:\n%s", result.output()).isZero();
      for (String shot : List.of("list.png", "list-filtered.png", "detail.png")) {
        assertThat(shots.resolve(shot)).as("screenshot").isRegularFile();
        assertThat(size(shots.resolve(shot))).as("%s size", shot).isGreaterThan(10_000);
      }
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
