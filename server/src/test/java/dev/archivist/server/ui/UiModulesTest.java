package dev.archivist.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The page's pure modules (URL state and API parameters, node tree, Prometheus parsing,
 * formatting, YAML) under Node's own test runner: {@code ui-tests/unit.test.mjs}. Needs only
 * {@code node}; skips, saying so, without it.
 */
class UiModulesTest {

  @Test
  void pageModules_passTheirNodeUnitTests() {
    Path node = BrowserScript.assumeNodePresent();
    BrowserScript.Result result = BrowserScript.runNode(node,
        List.of("--test", "--test-reporter=tap", "unit.test.mjs"), Duration.ofMinutes(1));

    assertThat(result.timedOut()).as("timed out:\n%s", result.output()).isFalse();
    assertThat(result.lines()).as("output:\n%s", result.output())
        .contains("# fail 0")
        .anyMatch(line -> line.matches("# pass [1-9][0-9]*"));
    assertThat(result.exitCode()).as("exit code; output:\n%s", result.output()).isZero();
  }
}
