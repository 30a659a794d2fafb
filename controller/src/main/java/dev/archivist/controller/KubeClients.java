package dev.archivist.controller;

import dev.archivist.workqueue.TokenBucket;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.io.File;
import java.time.Duration;

/**
 * Builds the Kubernetes client the controller uses.
 *
 * <p>It runs on the JDK's {@code java.net.http} client rather than fabric8's default Vert.x one:
 * the JDK client keeps no pooled Netty/Vert.x buffers or event-loop threads of its own, so the heap
 * and thread count stay what the controller's own design makes them (see
 * {@code docs/architecture.md}).
 */
public final class KubeClients {
  /** fabric8 retries a failed request this many times (100 ms, then doubling) before failing. */
  public static final int REQUEST_RETRIES = 3;
  private static final int REQUEST_RETRY_INTERVAL_MILLIS = 100;

  private KubeClients() {}

  /**
   * A client for the cluster: the kubeconfig at {@code kubeconfigPathOrNull} when given; else the
   * in-cluster service account when running in a pod; else {@code $KUBECONFIG} or
   * {@code ~/.kube/config} (fabric8's auto-configuration).
   *
   * <p>The caller owns the client and must close it after the controller.
   *
   * @param kubeQps requests per second to the API server, all verbs together (informer lists and
   *     watches included); 0 means no client-side limit ({@code --kube-qps})
   * @param kubeBurst requests that may go at once above the rate; 0 means {@code ceil(kubeQps)}
   *     ({@code --kube-burst})
   * @param requestTimeout the bound on one request ({@code GET}, {@code PATCH}, a list page)
   * @throws IllegalArgumentException naming the flag when a value is invalid or the kubeconfig
   *     file does not exist
   */
  public static KubernetesClient create(String kubeconfigPathOrNull, double kubeQps,
      int kubeBurst, Duration requestTimeout) {
    return create(kubeconfigPathOrNull, kubeQps, kubeBurst, requestTimeout, REQUEST_RETRIES);
  }

  /**
   * As {@link #create(String, double, int, Duration)}, with {@code retries} retries of a failed
   * request inside the client (0 under leader election: a retry the fence did not check could
   * land after the lease is gone; the queues retry instead, each time behind the fence).
   */
  public static KubernetesClient create(String kubeconfigPathOrNull, double kubeQps,
      int kubeBurst, Duration requestTimeout, int retries) {
    if (!(kubeQps >= 0) || Double.isInfinite(kubeQps)) {
      throw new IllegalArgumentException("--kube-qps must be >= 0 and finite, got " + kubeQps);
    }
    if (kubeBurst < 0) {
      throw new IllegalArgumentException("--kube-burst must be >= 0, got " + kubeBurst);
    }
    if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()
        || requestTimeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("the Kubernetes request timeout must be a positive "
          + "duration below 24 days, got " + requestTimeout);
    }
    Config config = load(kubeconfigPathOrNull);
    config.setRequestTimeout((int) requestTimeout.toMillis());
    config.setRequestRetryBackoffLimit(retries);
    config.setRequestRetryBackoffInterval(REQUEST_RETRY_INTERVAL_MILLIS);

    KubernetesClientBuilder builder = new KubernetesClientBuilder()
        .withConfig(config)
        .withHttpClientFactory(new JdkHttpClientFactory());
    if (kubeQps > 0) {
      int burst = kubeBurst > 0 ? kubeBurst
          : (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.ceil(kubeQps)));
      TokenBucket bucket = TokenBucket.create(kubeQps, burst);
      builder.withHttpClientBuilderConsumer(
          http -> http.addOrReplaceInterceptor("archivist-kube-qps", new Throttle(bucket)));
    }
    return builder.build();
  }

  /**
   * A client of its own for one purpose, such as the Lease renewals: the same configuration
   * (credentials, request timeout), its own connections and no share of {@code --kube-qps}, so
   * that a burst of the workers' requests never delays it. The caller closes it.
   */
  public static KubernetesClient dedicated(Config config) {
    return new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder(config).build())
        .withHttpClientFactory(new JdkHttpClientFactory())
        .build();
  }

  private static Config load(String kubeconfigPathOrNull) {
    if (kubeconfigPathOrNull == null || kubeconfigPathOrNull.isBlank()) {
      return Config.autoConfigure(null);
    }
    File file = new File(kubeconfigPathOrNull);
    if (!file.isFile()) {
      throw new IllegalArgumentException("--kubeconfig must name a readable kubeconfig file, got "
          + kubeconfigPathOrNull + " (" + (file.exists() ? "not a file" : "no such file") + ")");
    }
    return Config.fromKubeconfig(file);
  }

  /**
   * Client-side rate limit, as client-go's {@code --kube-api-qps}: one token per request, taken
   * on the calling thread before the request is sent.
   */
  private static final class Throttle implements Interceptor {
    private final TokenBucket bucket;

    Throttle(TokenBucket bucket) {
      this.bucket = bucket;
    }

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
      try {
        bucket.acquire(1);
      } catch (InterruptedException e) {
        // Shutting down: let the request go (it fails or finishes fast) and keep the flag.
        Thread.currentThread().interrupt();
      }
    }
  }
}
