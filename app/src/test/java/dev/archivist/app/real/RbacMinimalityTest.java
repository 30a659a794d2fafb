package dev.archivist.app.real;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.testing.Fixtures;
import dev.archivist.testing.KubeExtension;
import dev.archivist.testing.PostgresExtension;
import dev.archivist.testing.TestDatabase;
import dev.archivist.testing.TestNamespace;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * {@code deploy/rbac.yaml} is minimal: for each permission it grants (one verb on one resource),
 * Archivist runs as a ServiceAccount granted all the others, on the real API server, and says
 * which permission it lacks. (That the whole file is sufficient is
 * {@code RealApiServerTest.serviceAccountOfDeployRbac_archivesLabelsDeletesAndLeads}.)
 *
 * <p>Each case runs {@code archivist run --leader-elect --delete-after 1s --finalizer} over a few
 * completed workflows and one running one, so that every verb is needed early: the informers
 * list and watch, the workers read pages and patch, the finalizer is added by a patch, deletion
 * deletes, the elector gets, creates and patches its Lease, and a caller of the API makes
 * Archivist create a TokenReview and SubjectAccessReviews. The running workflow is deleted once
 * it holds the finalizer, so that a worker GETs it (a workflow being deleted is read alone, not
 * from a page). Two maps below
 * hold what is not settled yet: a refusal Archivist reports without naming the permission, and
 * a permission this run may not reach.
 */
@ExtendWith({PostgresExtension.class, KubeExtension.class})
class RbacMinimalityTest {
  /** One verb on one resource, granted by a ClusterRole ({@code cluster}) or a Role. */
  record Permission(boolean cluster, String group, String resource, String verb) {
    @Override
    public String toString() {
      return verb + " " + resource + "." + group;
    }
  }

  /**
   * Permissions whose refusal Archivist reports without naming it yet, and why. For these the
   * test asserts only that Archivist reports a refusal (HTTP 403); it fails once
   * Archivist names the permission, so that the entry leaves this map and is checked fully.
   */
  private static final Map<String, String> NOT_NAMED_YET = Map.of();

  /**
   * Permissions this run may not need, and why: when Archivist gets through the run without
   * using one, the case is skipped with that reason (it does not pass), and it is checked again
   * each run. An open question for {@code deploy/rbac.yaml}: drop the permission, or add a run
   * that reaches the code needing it.
   */
  private static final Map<String, String> MAY_NOT_BE_REACHED = Map.of();

  private RealBed bed;

  static Stream<Permission> deployRbacPermissions() throws Exception {
    List<Permission> all = new ArrayList<>();
    for (JsonNode doc : rbacDocuments()) {
      String kind = doc.path("kind").asString();
      if (!kind.equals("ClusterRole") && !kind.equals("Role")) {
        continue;
      }
      for (JsonNode rule : doc.path("rules").values()) {
        for (JsonNode group : rule.path("apiGroups").values()) {
          for (JsonNode resource : rule.path("resources").values()) {
            for (JsonNode verb : rule.path("verbs").values()) {
              all.add(new Permission(kind.equals("ClusterRole"), group.asString(),
                  resource.asString(), verb.asString()));
            }
          }
        }
      }
    }
    assertThat(all).as("permissions in deploy/rbac.yaml").isNotEmpty();
    return all.stream();
  }

  @AfterEach
  void tearDown() {
    if (bed != null) {
      bed.close();
    }
  }

  @ParameterizedTest(name = "without {0}")
  @MethodSource("deployRbacPermissions")
  void withoutOnePermission_archivistNamesIt(Permission missing, TestNamespace ns,
      TestDatabase db) throws Exception {
    bed = new RealBed(ns, db, "rbac-without-" + missing.verb() + "-" + missing.resource());
    List<Permission> granted = deployRbacPermissions().filter(p -> !p.equals(missing)).toList();
    String sa = "archivist";
    ns.actAs(sa, rules(granted, false), rules(granted, true));
    Path kubeconfig = ns.serviceAccountKubeconfig(sa);
    bed.createCompleted("rbac", 5, 0);
    bed.workflows().resource(RealBed.running("rbac-running")).create();

    ArchivistProcess p = ArchivistProcess.start("archivist", "256m", List.of(
        "--kubeconfig", kubeconfig.toString(), "--db", db.jdbcUrl(),
        "--cluster-name", bed.clusterName, "--delete-after", "1s", "--finalizer",
        "--leader-elect", "--lease-namespace", ns.name(), "--lease-name", "archivist-rbac"),
        Map.of(),
        bed.logDir);
    // A caller of Archivist's API with the ServiceAccount's token: with --auth-mode kubernetes
    // (run's default) each request makes Archivist create a TokenReview and SubjectAccessReviews.
    String token = ns.serviceAccountConfig(sa).getOauthToken();
    java.util.concurrent.atomic.AtomicBoolean deleted = new java.util.concurrent.atomic
        .AtomicBoolean();
    Runnable call = () -> {
      callApi(p, ns.name(), token);
      deleteOnceHeld(bed, "rbac-running", deleted);
    };
    try {
      // The API server's own words, as Archivist passes them on, or Archivist's own where the
      // server's do not reach it (a refused watch): the verb and the resource.
      String serverWords = "cannot " + missing.verb() + " resource \"" + missing.resource()
          + "\"";
      String ownWords = "forbidden: cannot " + missing.verb() + " " + missing.resource() + "."
          + missing.group();
      java.util.function.BooleanSupplier named = () -> p.output().contains(serverWords)
          || p.output().contains(ownWords);
      String gap = NOT_NAMED_YET.get(missing.toString());
      String unreached = MAY_NOT_BE_REACHED.get(missing.toString());
      if (unreached != null) {
        boolean refused;
        try {
          RealBed.await(Duration.ofMinutes(1)).until(() -> {
            call.run();
            return named.getAsBoolean();
          });
          refused = true;
        } catch (ConditionTimeoutException e) {
          refused = false;
        }
        Assumptions.assumeTrue(refused, () -> "archivist ran a minute without " + missing
            + " and was never refused: " + unreached);
      } else if (gap == null) {
        RealBed.await(Duration.ofMinutes(2)).until(() -> {
          call.run();
          return named.getAsBoolean();
        });
      } else {
        RealBed.await(Duration.ofMinutes(2)).until(() -> p.output().contains("403"));
        assertThat(named.getAsBoolean()).as("archivist now names %s: remove it from"
            + " NOT_NAMED_YET (%s)", missing, gap).isFalse();
      }
    } catch (ConditionTimeoutException e) {
      throw new AssertionError("archivist, run without " + missing + ", did not say so in two"
          + " minutes; its output ends:\n" + p.tail(), e);
    } finally {
      p.close();
    }
  }

  /** Deletes {@code name} (as the test's admin) once it holds Archivist's finalizer. */
  private static void deleteOnceHeld(RealBed bed, String name,
      java.util.concurrent.atomic.AtomicBoolean deleted) {
    if (deleted.get()) {
      return;
    }
    var wf = bed.workflows().withName(name).get();
    if (wf != null && wf.getMetadata().getFinalizers() != null
        && wf.getMetadata().getFinalizers().contains("archivist.dev/archive")) {
      bed.workflows().withName(name).delete();
      deleted.set(true);
    }
  }

  /** One request to Archivist's list API as {@code token}'s user; the answer does not matter. */
  private static void callApi(ArchivistProcess p, String namespace, String token) {
    int port = p.port();
    if (port <= 0) {
      return;
    }
    try {
      HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
              + port + "/api/v1/archived-workflows?namespace=" + namespace))
          .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      // Not serving yet, or busy: the next poll asks again.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Grouped back into rules: one per resource, in deploy/rbac.yaml's verb order. */
  private static List<PolicyRule> rules(List<Permission> granted, boolean cluster) {
    List<PolicyRule> rules = new ArrayList<>();
    granted.stream().filter(p -> p.cluster() == cluster)
        .map(p -> List.of(p.group(), p.resource())).distinct().forEach(key -> rules.add(
            new PolicyRuleBuilder().withApiGroups(key.get(0)).withResources(key.get(1))
                .withVerbs(granted.stream().filter(p -> p.cluster() == cluster
                        && p.group().equals(key.get(0)) && p.resource().equals(key.get(1)))
                    .map(Permission::verb).toList())
                .build()));
    return rules;
  }

  private static List<JsonNode> rbacDocuments() throws Exception {
    Path file = Path.of(System.getProperty(Fixtures.REPO_ROOT_PROPERTY), "deploy", "rbac.yaml");
    List<JsonNode> docs = new ArrayList<>();
    try (var it = YAMLMapper.builder().build().readerFor(JsonNode.class)
        .<JsonNode>readValues(Files.readString(file))) {
      while (it.hasNext()) {
        docs.add(it.next());
      }
    }
    return docs;
  }
}
