package dev.archivist.app.argo;

import dev.archivist.testing.FreePorts;
import dev.archivist.testing.HttpTestClient;
import dev.archivist.testing.Processes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real {@code argo server} process on loopback, reading its configuration (the
 * {@code workflow-controller-configmap} and the database Secrets) from {@code namespace} of the
 * API server that {@code kubeconfig} names.
 *
 * <p>The command line, and why each flag:
 * <pre>
 * argo server --kubeconfig K --namespace N --port P --secure=false --auth-mode=client
 * </pre>
 * {@code --namespace} is where it reads its configuration from; without {@code --namespaced} it
 * serves every namespace, as a cluster-wide install does. {@code --secure=false}: plain HTTP, as
 * the tests speak to it over loopback only. Argo Server has no flag for the listen address and
 * binds every interface, so it runs with {@code --auth-mode=client}: every request must carry a
 * Kubernetes bearer token, which Argo Server checks against the API server, and nothing is served
 * to anyone without one.
 *
 * <p>Its output goes to a log file, whose end is put in every failure message.
 */
record ArgoServerProcess(Process process, int port, Path log) implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

  /**
   * Starts the server and returns once {@code /api/v1/version} answers 200 to {@code token}.
   *
   * @throws IllegalStateException when it exits or is not ready within three minutes, with the
   *     end of its log
   */
  static ArgoServerProcess start(ArgoBinaries argo, Path kubeconfig, String namespace,
      String token, Path log) {
    int port = FreePorts.loopback();
    List<String> command = new ArrayList<>(List.of(argo.argo().toString(), "server",
        "--kubeconfig", kubeconfig.toString(),
        "--namespace", namespace,
        "--port", Integer.toString(port),
        "--secure=false",
        "--auth-mode=client",
        "--loglevel=info"));
    ProcessBuilder pb = new ProcessBuilder(command);
    // Argo reads these when set in its environment; none of them may leak in from the caller's.
    pb.environment().remove("ARGO_SERVER");
    pb.environment().remove("ARGO_TOKEN");
    pb.environment().remove("ARGO_NAMESPACE");
    // With --auth-mode=client Argo Server builds each caller's client from the default loading
    // rules ($KUBECONFIG), not from --kubeconfig: both must name the test bed.
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    ArgoServerProcess server = new ArgoServerProcess(Processes.startLogged(pb, log), port, log);
    try {
      server.awaitReady(token);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /**
   * A client of this server with {@code token}. Argo Server's HTTP side is a gateway that calls
   * its own gRPC side over a loopback connection; when that connection is being re-established
   * (one refused dial puts the gateway's channel in a reconnect back-off of about a second), it
   * answers 503 with gRPC's {@code UNAVAILABLE} (code 14), which gRPC defines as transient. Such
   * answers are retried for up to a minute; a 503 that lasts longer is returned and fails the
   * test with Argo's own message.
   */
  HttpTestClient client(String token) {
    return new HttpTestClient(baseUrl(), token, "argo server (log " + log + ")")
        .retrying(ArgoServerProcess::gatewayUnavailable, Duration.ofSeconds(60));
  }

  static boolean gatewayUnavailable(HttpTestClient.Response r) {
    return r.status() == 503 && r.body().replace(" ", "").contains("\"code\":14");
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  private void awaitReady(String token) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest version = HttpRequest.newBuilder(URI.create(baseUrl() + "/api/v1/version"))
        .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(5)).build();
    AtomicReference<String> last = new AtomicReference<>("no answer yet");
    try {
      Awaitility.await("argo server on port " + port).atMost(START_TIMEOUT)
          .pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!process.isAlive()) {
              throw new IllegalStateException("argo server exited with " + process.exitValue()
                  + " while starting; the end of " + log + ":\n" + tail());
            }
            try {
              HttpResponse<String> r = client.send(version, HttpResponse.BodyHandlers.ofString());
              last.set(r.statusCode() + " " + r.body());
              return r.statusCode() == 200;
            } catch (IOException e) {
              last.set(e.toString());
              return false;
            }
          });
    } catch (ConditionTimeoutException e) {
      throw new IllegalStateException("argo server on port " + port + " not ready after "
          + START_TIMEOUT.toSeconds() + " s (last answer: " + last.get() + "); the end of " + log
          + ":\n" + tail(), e);
    }
  }

  /** The last lines of the log, for failure messages. */
  String tail() {
    return Processes.tail(log, 30);
  }

  @Override
  public void close() {
    process.destroy();
    Processes.awaitOrKill(process, Duration.ofSeconds(10));
  }
}
