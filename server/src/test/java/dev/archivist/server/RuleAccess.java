package dev.archivist.server;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link AccessControl} with fixed tokens and rules ("user verb namespace", namespace "*" for
 * the cluster-wide right), for tests of the server's authorization that need no cluster. The
 * Kubernetes one is tested against the real API server; this one pins what the server does
 * with any access control's answers. It can also be made to fail, as an unreachable API would.
 */
public final class RuleAccess implements AccessControl {
  private final Map<String, Caller> tokens;
  private final Set<String> rules;
  final AtomicBoolean down = new AtomicBoolean();
  final AtomicInteger decisions = new AtomicInteger();

  public RuleAccess(Map<String, String> tokenToUser, Set<String> rules) {
    this.tokens = new ConcurrentHashMap<>();
    tokenToUser.forEach((token, user) -> tokens.put(token,
        new Caller(user, "", List.of("testers"), Map.of())));
    this.rules = Set.copyOf(rules);
  }

  @Override
  public AuthMode mode() {
    return AuthMode.KUBERNETES;
  }

  @Override
  public Caller authenticate(String bearerToken) {
    if (down.get()) {
      throw new ApiException(ErrorCode.UNAVAILABLE, "the test's review API is down");
    }
    if (bearerToken == null) {
      throw AccessFilter.unauthenticated("a token is required");
    }
    Caller caller = tokens.get(bearerToken);
    if (caller == null) {
      throw AccessFilter.unauthenticated("the bearer token is not valid");
    }
    return caller;
  }

  @Override
  public boolean allows(Caller caller, Verb verb, String namespace) {
    if (down.get()) {
      throw new ApiException(ErrorCode.UNAVAILABLE, "the test's review API is down");
    }
    decisions.incrementAndGet();
    String prefix = caller.name() + " " + verb.kubernetesVerb() + " ";
    return rules.contains(prefix + "*")
        || (namespace != null && rules.contains(prefix + namespace));
  }
}
