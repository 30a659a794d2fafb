package dev.archivist.server;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --auth-mode kubernetes}. A bearer token is checked with a TokenReview; each action is
 * authorized with a SubjectAccessReview for the caller's user, uid, groups and extra attributes,
 * on resource {@code workflows} of API group {@code argoproj.io}, in the workflow's namespace (or
 * across all namespaces, namespace {@code ""}). So a person sees in the archive what
 * {@code kubectl auth can-i list workflows.argoproj.io -n NS} allows them.
 *
 * <p>Both answers are cached for a bounded time and number of entries (Caffeine): tokens by
 * their SHA-256 digest, never the token itself, and decisions by (caller, verb, namespace).
 * Revoking a token or a role therefore takes effect within the cache's time to live. Failures
 * of the Kubernetes API are not cached and fail the request closed, with 503.
 *
 * <p>Thread-safe: the caches are concurrent; a review runs on the request's thread, and two
 * requests missing the same key at once wait for one review (Caffeine's compute).
 */
final class KubernetesAccess implements AccessControl {
  private static final Logger log = LoggerFactory.getLogger(KubernetesAccess.class);

  static final String API_GROUP = "argoproj.io";
  static final String RESOURCE = "workflows";

  private final KubernetesClient client;
  private final Cache<String, Optional<Caller>> tokens;
  private final Cache<DecisionKey, Boolean> decisions;
  private final Counter tokenReviewFailures;
  private final Counter accessReviewFailures;

  private record DecisionKey(Caller caller, Verb verb, String namespace) {}

  KubernetesAccess(KubernetesClient client, Duration ttl, long maxEntries,
      MeterRegistry registry, Ticker ticker) {
    this.client = Objects.requireNonNull(client, "client");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("--auth-cache-ttl must be a positive duration, got "
          + ttl);
    }
    if (maxEntries < 1) {
      throw new IllegalArgumentException("--auth-cache-size must be >= 1, got " + maxEntries);
    }
    this.tokens = cache(ttl, maxEntries, ticker);
    this.decisions = cache(ttl, maxEntries, ticker);
    CaffeineCacheMetrics.monitor(registry, tokens, "archivist_auth_tokens");
    CaffeineCacheMetrics.monitor(registry, decisions, "archivist_auth_decisions");
    this.tokenReviewFailures = reviewFailures(registry, "TokenReview");
    this.accessReviewFailures = reviewFailures(registry, "SubjectAccessReview");
  }

  private static <K, V> Cache<K, V> cache(Duration ttl, long maxEntries, Ticker ticker) {
    return Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(maxEntries)
        .ticker(ticker).recordStats().build();
  }

  private static Counter reviewFailures(MeterRegistry registry, String review) {
    return Counter.builder("archivist_auth_review_failures_total")
        .description("Reviews the Kubernetes API did not answer; each failed a request with 503")
        .tag("review", review).register(registry);
  }

  @Override
  public AuthMode mode() {
    return AuthMode.KUBERNETES;
  }

  @Override
  public Caller authenticate(String bearerToken) {
    if (bearerToken == null) {
      throw AccessFilter.unauthenticated("this API requires a Kubernetes bearer token: send"
          + " \"Authorization: Bearer <token>\" (for example from kubectl create token"
          + " <serviceaccount>)");
    }
    String digest = HexFormat.of().formatHex(StaticTokenAccess.sha256(bearerToken));
    Optional<Caller> caller = tokens.get(digest, d -> tokenReview(bearerToken));
    return caller.orElseThrow(() -> AccessFilter.unauthenticated("the bearer token is not"
        + " valid: the Kubernetes API did not authenticate it (expired, revoked, or not a token"
        + " of this cluster)"));
  }

  @Override
  public boolean allows(Caller caller, Verb verb, String namespace) {
    DecisionKey key = new DecisionKey(caller, verb, namespace == null ? "" : namespace);
    return decisions.get(key, this::accessReview);
  }

  private Optional<Caller> tokenReview(String token) {
    TokenReview review = new TokenReviewBuilder().withNewSpec().withToken(token).endSpec()
        .build();
    TokenReview answer = ask("TokenReview", () -> "",
        () -> client.authentication().v1().tokenReviews().create(review),
        tokenReviewFailures, "the bearer token cannot be checked now");
    if (answer.getStatus() == null || !Boolean.TRUE.equals(answer.getStatus().getAuthenticated())
        || answer.getStatus().getUser() == null) {
      log.debug("TokenReview did not authenticate a token: {}",
          answer.getStatus() == null ? "no status" : answer.getStatus().getError());
      return Optional.empty();
    }
    UserInfo user = answer.getStatus().getUser();
    return Optional.of(new Caller(user.getUsername(), user.getUid(),
        user.getGroups() == null ? List.of() : user.getGroups(),
        user.getExtra() == null ? Map.of() : user.getExtra()));
  }

  private Boolean accessReview(DecisionKey key) {
    SubjectAccessReview review = new SubjectAccessReviewBuilder().withNewSpec()
        .withUser(key.caller().name())
        .withUid(key.caller().uid().isEmpty() ? null : key.caller().uid())
        .withGroups(key.caller().groups())
        .withExtra(key.caller().extra())
        .withNewResourceAttributes()
        .withGroup(API_GROUP)
        .withResource(RESOURCE)
        .withVerb(key.verb().kubernetesVerb())
        .withNamespace(key.namespace())
        .endResourceAttributes()
        .endSpec()
        .build();
    SubjectAccessReview answer = ask("SubjectAccessReview",
        () -> " of " + key.caller().name() + " " + key.verb().kubernetesVerb()
            + " in namespace \"" + key.namespace() + "\"",
        () -> client.authorization().v1().subjectAccessReview().create(review),
        accessReviewFailures, "access cannot be checked now");
    return answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed());
  }

  /**
   * The answer to the review {@code create} sends. When the Kubernetes API does not answer, the
   * failure is counted in {@code failures}, logged with {@code about} (what was asked), and the
   * request fails closed with 503, saying {@code cannot}.
   */
  private static <T> T ask(String review, Supplier<String> about, Supplier<T> create,
      Counter failures, String cannot) {
    try {
      return create.get();
    } catch (KubernetesClientException e) {
      failures.increment();
      log.warn("{}{} failed (HTTP {}): {}", review, about.get(), e.getCode(), e.getMessage());
      throw unavailable(cannot + ": the Kubernetes API did not answer the " + review + " ("
          + describe(e) + "); try again later");
    }
  }

  private static String describe(KubernetesClientException e) {
    return e.getCode() > 0 ? "HTTP " + e.getCode() : "no answer";
  }

  private static ApiException unavailable(String message) {
    return new ApiException(ErrorCode.UNAVAILABLE, message);
  }
}
