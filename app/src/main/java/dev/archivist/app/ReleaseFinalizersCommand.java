package dev.archivist.app;

import dev.archivist.controller.KubeClients;
import dev.archivist.controller.finalizer.FinalizerRelease;
import dev.archivist.controller.kube.FinalizerApi;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code archivist release-finalizers}: removes our finalizer from every workflow in scope. */
@Command(
    name = "release-finalizers",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Remove the finalizer " + FinalizerApi.FINALIZER + " from every workflow of an Argo"
            + " instance, so that no deletion waits for an Archivist that is gone.",
        "",
        "Run it before uninstalling Archivist, or after turning --finalizer off, once the"
            + " controller is stopped (a running controller with --finalizer adds it back)."
            + " Workflows not archived yet are then no longer held: one deleted before it is"
            + " archived is lost to the archive. Lists metadata only, in pages; one JSON Patch"
            + " per held workflow, testing its uid. Exits 1 if any workflow could not be"
            + " released. See docs/argo.md."},
    footer = {"", "Example: archivist release-finalizers --namespace argo --dry-run"})
final class ReleaseFinalizersCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--kubeconfig", paramLabel = "FILE",
      description = "The kubeconfig to use (default: in-cluster, else ~/.kube/config).")
  Path kubeconfig;

  @Option(names = {"--namespace", "-n"}, paramLabel = "NAMESPACE", split = ",",
      description = "Only this namespace; repeatable (default: all namespaces).")
  List<String> namespaces;

  @Option(names = "--instance-id", paramLabel = "ID", defaultValue = "",
      description = "Argo's controller instance ID: the workflows labelled with it, or, when"
          + " empty, those without the label, as 'archivist run' selects them"
          + " (default: empty).")
  String instanceId;

  @Option(names = "--dry-run",
      description = "Count the workflows that hold the finalizer; change nothing.")
  boolean dryRun;

  @Option(names = "--kube-qps", paramLabel = "QPS", defaultValue = "50",
      description = "Requests per second to the Kubernetes API at most; 0 means no"
          + " client-side limit (default: ${DEFAULT-VALUE}).")
  double kubeQps;

  @Option(names = "--kube-request-timeout", paramLabel = "DURATION", defaultValue = "30s",
      description = "How long one Kubernetes API request may take (default: ${DEFAULT-VALUE}).")
  Duration kubeRequestTimeout;

  @Override
  public Integer call() {
    Flags.atLeast(spec, "--kube-qps", kubeQps, 0);
    ScopeOptions.checkInstanceId(spec, instanceId);
    List<String> ns = Flags.distinctValues(namespaces);
    PrintWriter err = spec.commandLine().getErr();
    FinalizerRelease.Summary summary;
    try (KubernetesClient client = Components.validated(spec, () -> KubeClients.create(
        kubeconfig == null ? null : kubeconfig.toString(), kubeQps, 0, kubeRequestTimeout))) {
      summary = new FinalizerRelease(client, Main.root(spec).clock()).run(ns, instanceId,
          dryRun, line -> {
            err.println("archivist: " + line);
            err.flush();
          });
    } catch (KubernetesClientException e) {
      throw new CommandFailedException(ExitCodes.ERROR, "release-finalizers: listing workflows"
          + " failed" + (e.getCode() > 0 ? " with HTTP " + e.getCode() : "") + ": "
          + e.getMessage() + (e.getCode() == 403 ? " (it needs list and patch on"
          + " workflows.argoproj.io; see deploy/rbac.yaml)" : ""), e);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf("%d workflows listed, %d held by %s, %d %s, %d failed%n", summary.listed(),
        summary.held(), FinalizerApi.FINALIZER, dryRun ? summary.held() : summary.released(),
        dryRun ? "would be released (dry run)" : "released", summary.failed());
    out.flush();
    return summary.failed() > 0 ? ExitCodes.ERROR : ExitCodes.OK;
  }
}
