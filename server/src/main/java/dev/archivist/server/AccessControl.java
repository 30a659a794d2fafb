package dev.archivist.server;

import com.github.benmanes.caffeine.cache.Ticker;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Who may do what on the archive API. The server asks {@link #authenticate} once per
 * {@code /api/} request and {@link #allows} before it reads or deletes workflows of a namespace.
 *
 * <p>Implementations are thread-safe and fail closed: when they cannot decide (the Kubernetes API
 * does not answer), they throw, and the request gets 503, never the data.
 */
public interface AccessControl {

  /** The actions of the archive API, named as Kubernetes verbs on {@code workflows.argoproj.io}. */
  enum Verb {
    LIST, GET, DELETE;

    /** The Kubernetes verb: {@code list}, {@code get}, {@code delete}. */
    public String kubernetesVerb() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * The authenticated caller: the user name and groups as Kubernetes reports them, or a fixed
   * name in the other modes. It never holds the token.
   *
   * @param uid the user's uid from TokenReview, or empty
   * @param extra TokenReview's extra attributes, passed on to SubjectAccessReview as they came
   */
  record Caller(String name, String uid, List<String> groups,
      Map<String, List<String>> extra) {
    public Caller {
      Objects.requireNonNull(name, "name");
      uid = uid == null ? "" : uid;
      groups = List.copyOf(groups);
      extra = Map.copyOf(extra);
    }

    static Caller named(String name) {
      return new Caller(name, "", List.of(), Map.of());
    }
  }

  AuthMode mode();

  /**
   * The caller who presented {@code bearerToken}.
   *
   * @param bearerToken the token of the {@code Authorization: Bearer} header, or null when the
   *     request had none
   * @throws ApiException 401 when the token is missing or not valid; 503 when it cannot be
   *     checked now
   */
  Caller authenticate(String bearerToken);

  /**
   * Whether {@code caller} may {@code verb} workflows in {@code namespace}.
   *
   * @param namespace a namespace, or null for all namespaces at once (a cluster-wide right)
   * @throws ApiException 503 when it cannot be decided now
   */
  boolean allows(Caller caller, Verb verb, String namespace);

  /** {@code --auth-mode none}: everyone is {@code anonymous} and may do everything. */
  static AccessControl open() {
    return OpenAccess.INSTANCE;
  }

  /** {@code --auth-mode token}: one static bearer token, compared in constant time. */
  static AccessControl staticToken(String token) {
    return new StaticTokenAccess(token);
  }

  /**
   * {@code --auth-mode kubernetes}: TokenReview, then SubjectAccessReview, both through
   * {@code client} (whose identity needs {@code create} on {@code tokenreviews} and
   * {@code subjectaccessreviews}). Decisions are cached per token digest and per
   * (user, verb, namespace) for {@code ttl}, at most {@code maxEntries} of each; the caches
   * report to {@code registry} as {@code cache_*{cache="archivist_auth_tokens"}} and
   * {@code cache="archivist_auth_decisions"}.
   */
  static AccessControl kubernetes(KubernetesClient client, Duration ttl, long maxEntries,
      MeterRegistry registry, Ticker ticker) {
    return new KubernetesAccess(client, ttl, maxEntries, registry, ticker);
  }
}
