package dev.archivist.app;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.archivist.controller.KubeClients;
import dev.archivist.server.AccessControl;
import dev.archivist.server.AuthMode;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --auth-mode} and its companions for {@code run} and {@code serve}: who may use the API,
 * and the start-up refusals that keep an open archive off the network.
 */
final class AuthOptions {
  /** The reviews' own client: no client-side rate limit (the caches bound it), short timeout. */
  private static final Duration REVIEW_TIMEOUT = Duration.ofSeconds(10);

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(names = "--auth-mode", paramLabel = "MODE",
      description = "Who may use the API: kubernetes (a Kubernetes bearer token, checked by"
          + " TokenReview; each namespace authorized by SubjectAccessReview), token (the one"
          + " token of --api-token-file) or none. Default: token when --api-token-file is"
          + " given, else kubernetes for run and none for serve. See docs/security.md.")
  String mode;

  @Option(names = "--auth-cache-ttl", paramLabel = "DURATION", defaultValue = "10s",
      description = "With --auth-mode kubernetes: how long a token's review and an access"
          + " decision are reused (default: ${DEFAULT-VALUE}).")
  Duration cacheTtl;

  @Option(names = "--auth-cache-size", paramLabel = "N", defaultValue = "10000",
      description = "With --auth-mode kubernetes: how many tokens, and how many decisions, are"
          + " cached at most (default: ${DEFAULT-VALUE}).")
  long cacheSize;

  @Option(names = "--insecure-allow-unauthenticated",
      description = "Start with --auth-mode none on an address other than loopback with"
          + " deletes allowed: anyone who reaches the port may read and delete the archive.")
  boolean allowUnauthenticated;

  /**
   * The mode: {@code --auth-mode}, else {@code token} when {@code tokenFileGiven}, else
   * {@code commandDefault}.
   */
  AuthMode resolve(AuthMode commandDefault, boolean tokenFileGiven) {
    AuthMode m;
    if (mode == null || mode.isBlank()) {
      m = tokenFileGiven ? AuthMode.TOKEN : commandDefault;
    } else {
      try {
        m = AuthMode.parse(mode);
      } catch (IllegalArgumentException e) {
        throw Flags.invalid(spec, "--auth-mode", "must be kubernetes, token or none, got '"
            + mode + "'");
      }
    }
    if (m == AuthMode.TOKEN && !tokenFileGiven) {
      throw Flags.invalid(spec, "--auth-mode", "token needs --api-token-file FILE with the"
          + " token");
    }
    if (m != AuthMode.TOKEN && tokenFileGiven) {
      throw Flags.invalid(spec, "--api-token-file", "is for --auth-mode token; it cannot be"
          + " used with --auth-mode " + m.flagValue());
    }
    if (m == AuthMode.KUBERNETES) {
      Flags.positive(spec, "--auth-cache-ttl", cacheTtl);
      Flags.atLeast(spec, "--auth-cache-size", cacheSize, 1);
    }
    return m;
  }

  /**
   * Refuses what would expose the archive: {@code none} on an address other than loopback
   * with deletes allowed (unless {@code --insecure-allow-unauthenticated}), and CORS for every
   * origin without authentication.
   */
  void checkSafety(AuthMode m, String bindAddress, boolean readOnly, List<String> corsOrigins) {
    if (m != AuthMode.NONE) {
      return;
    }
    if (corsOrigins.contains("*")) {
      throw Flags.invalid(spec, "--cors-origin", "'*' needs --auth-mode token or kubernetes:"
          + " without them any web page could read the archive through a visitor's browser;"
          + " name the origins instead");
    }
    if (!readOnly && !allowUnauthenticated && !isLoopback(bindAddress)) {
      throw Flags.invalid(spec, "--bind-address", bindAddress + " is not a loopback address,"
          + " and --auth-mode none would let anyone who reaches the port read and delete the"
          + " archive: use --auth-mode kubernetes or token, bind 127.0.0.1, add --read-only,"
          + " or accept it with --insecure-allow-unauthenticated");
    }
  }

  static boolean isLoopback(String address) {
    try {
      for (InetAddress a : InetAddress.getAllByName(address)) {
        if (!a.isLoopbackAddress()) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * The access control of {@code m}; for {@code kubernetes}, a client of its own from
   * {@code kubeconfig} (null: in-cluster, else ~/.kube/config), registered with
   * {@code lifecycle}.
   */
  AccessControl accessControl(AuthMode m, String token, Path kubeconfig, MeterRegistry registry,
      Lifecycle lifecycle) {
    return switch (m) {
      case NONE -> AccessControl.open();
      case TOKEN -> AccessControl.staticToken(token);
      case KUBERNETES -> AccessControl.kubernetes(lifecycle.add("Kubernetes review client",
          KubeClients.create(kubeconfig == null ? null : kubeconfig.toString(), 0, 0,
              REVIEW_TIMEOUT)), cacheTtl, cacheSize, registry, Ticker.systemTicker());
    };
  }
}
