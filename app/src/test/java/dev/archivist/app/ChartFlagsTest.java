package dev.archivist.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The Helm chart offers every flag of {@code archivist run}: each is a key of {@code flags} in
 * {@code values.yaml} and of its schema, or one the chart sets itself from its own values, or
 * one that has no meaning in a pod. A flag added to {@code run} fails this test until the chart
 * offers it; a key the chart offers that {@code run} no longer has fails it too.
 */
class ChartFlagsTest {
  private static final Path CHART =
      Path.of(System.getProperty(Fixtures.REPO_ROOT_PROPERTY), "deploy", "helm", "archivist");

  /** Set by the chart's templates from database.*, watchNamespaces, leaderElection and so on. */
  private static final Set<String> SET_BY_THE_CHART = Set.of("db", "db-user", "db-password-file",
      "namespace", "leader-elect", "lease-name", "lease-namespace", "http-port",
      "shutdown-timeout", "api-token-file");

  /** In-cluster configuration, the embedded database, and the listening address. */
  private static final Set<String> NOT_FOR_A_POD = Set.of("kubeconfig", "data-dir",
      "bind-address", "help", "version");

  @Test
  void values_offerEveryRunFlag() throws Exception {
    CommandLine run = Main.commandLine(Map.of(), Clock.systemUTC()).getSubcommands().get("run");
    Set<String> runFlags = new TreeSet<>();
    for (OptionSpec option : run.getCommandSpec().options()) {
      runFlags.add(option.longestName().replaceFirst("^--", ""));
    }
    JsonNode values = YAMLMapper.builder().build()
        .readTree(Files.readString(CHART.resolve("values.yaml")));
    Set<String> offered = new TreeSet<>(values.path("flags").propertyNames());
    JsonNode schema = YAMLMapper.builder().build()
        .readTree(Files.readString(CHART.resolve("values.schema.json")));
    Set<String> validated =
        new TreeSet<>(schema.path("properties").path("flags").path("properties").propertyNames());

    Set<String> missing = new TreeSet<>(runFlags);
    missing.removeAll(offered);
    missing.removeAll(SET_BY_THE_CHART);
    missing.removeAll(NOT_FOR_A_POD);
    assertThat(missing).as("flags of `archivist run` that deploy/helm/archivist/values.yaml does"
        + " not offer under flags: (add each, with its default in a comment, to values.yaml and"
        + " values.schema.json, then run hack/render-manifests.sh)").isEmpty();
    assertThat(offered).as("keys of flags: in values.yaml that `archivist run` does not have")
        .isSubsetOf(runFlags);
    assertThat(validated).as("flags: keys of values.schema.json").isEqualTo(offered);
    assertThat(runFlags).as("flags the chart sets itself").containsAll(SET_BY_THE_CHART);
  }
}
