package dev.archivist.app.argo;

import dev.archivist.testing.Processes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Argo's real {@code workflow-controller} on the test bed, confined to one namespace:
 *
 * <pre>
 * workflow-controller --kubeconfig K --namespace N --namespaced --managed-namespace N
 * </pre>
 *
 * {@code --namespace} is where it reads {@code workflow-controller-configmap} from;
 * {@code --namespaced} with {@code --managed-namespace} makes it watch only that namespace, so
 * the workflows of other tests on the same API server are not run or deleted by it. Leader
 * election is off ({@code LEADER_ELECTION_DISABLE}): it is the only replica.
 *
 * <p>It serves its health and profiling endpoints on a fixed port (6060); a second controller on
 * the same machine logs that it cannot bind it and carries on, which does not affect these tests.
 * Its output goes to a log file, whose end is put in failure messages.
 */
final class WorkflowControllerProcess implements AutoCloseable {
  private final Process process;
  private final Path log;

  private WorkflowControllerProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static WorkflowControllerProcess start(ArgoBinaries argo, Path kubeconfig, String namespace,
      Path log) {
    List<String> command = List.of(argo.workflowController().toString(),
        "--kubeconfig", kubeconfig.toString(),
        "--namespace", namespace,
        "--namespaced",
        "--managed-namespace", namespace,
        "--loglevel", "info");
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("LEADER_ELECTION_DISABLE", "true");
    pb.environment().remove("KUBECONFIG");
    return new WorkflowControllerProcess(Processes.startLogged(pb, log), log);
  }

  /** Fails, with the end of its log, if the controller has exited. */
  void assertAlive() {
    if (!process.isAlive()) {
      throw new AssertionError("workflow-controller exited with " + process.exitValue()
          + "; the end of " + log + ":\n" + tail());
    }
  }

  /** The last lines of the log, for failure messages. */
  String tail() {
    return Processes.tail(log, 30);
  }

  @Override
  public void close() {
    process.destroy();
    Processes.awaitOrKill(process, Duration.ofSeconds(20));
  }
}
