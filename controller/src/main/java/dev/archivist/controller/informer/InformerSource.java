package dev.archivist.controller.informer;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import dev.archivist.controller.kube.Workflows;
import dev.archivist.core.WorkflowLabels;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where the informers list and watch Workflows from: a client of their own that lists in pages of
 * {@value #PAGE_SIZE} (following {@code continue}, so no more than one page of objects is held at
 * once) and, when the API server can, receives metadata only ({@link MetadataOnlyAccept}).
 *
 * <p>Which of the two it is, is decided once by a probe: one list of at most one workflow with
 * the metadata {@code Accept} header. A real API server answers a
 * {@code PartialObjectMetadataList}; a server that cannot convert (fabric8's mock) answers the
 * full list, and the informers then watch full objects, whose size the reduced item store still
 * keeps out of the cache. A probe that fails (no permission yet, server down) cannot tell; every
 * API server since Kubernetes 1.15 serves metadata, so it chooses metadata. The choice is logged.
 *
 * <p>The metadata client is separate from the workers' client: its own connections, and no
 * share of {@code --kube-qps} (the informers send a few requests per relist, not per workflow).
 * It is owned here and closed by {@link #close()}. Thread-safe after construction.
 */
public final class InformerSource implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(InformerSource.class);

  /** Objects per list page, as client-go's informers use. */
  public static final long PAGE_SIZE = 500;

  /** What the informers receive. */
  public enum Mode {
    /** {@code PartialObjectMetadata}: no spec, no status. */
    METADATA_ONLY,
    /** Whole objects, for a server that cannot send metadata only. */
    FULL_OBJECTS
  }

  private final KubernetesClient client;
  private final boolean owned;
  private final Mode mode;

  private InformerSource(KubernetesClient client, boolean owned, Mode mode) {
    this.client = client;
    this.owned = owned;
    this.mode = mode;
  }

  /**
   * Probes the API server through a metadata-only client derived from {@code base}'s
   * configuration, and keeps that client when it works.
   *
   * @param scopes the namespaces the informers will watch, or {@code "*"} for all; the probe
   *     lists in the first, which the controller must be allowed to list anyway
   * @param http applied to the metadata client's HTTP builder after its own settings, e.g. to
   *     count bytes in a test; a no-op in production
   */
  public static InformerSource probe(KubernetesClient base, List<String> scopes, String selector,
      Consumer<HttpClient.Builder> http) {
    Objects.requireNonNull(base, "base");
    KubernetesClient metadata = metadataClientBuilder(base.getConfiguration(), http).build();
    String scope = scopes.isEmpty() ? "*" : scopes.get(0);
    String path = collectionPath(scope) + "?limit=1&labelSelector="
        + URLEncoder.encode(selector, StandardCharsets.UTF_8);
    String kind;
    try {
      String body = metadata.raw(path);
      kind = body == null ? null
          : metadata.getKubernetesSerialization().unmarshal(body, JsonNode.class)
              .path("kind").asString(null);
    } catch (KubernetesClientException e) {
      log.warn("informers: cannot probe whether the API server sends metadata only (HTTP {}: {});"
          + " assuming it does, as every API server since Kubernetes 1.15", e.getCode(),
          e.getMessage());
      return new InformerSource(metadata, true, Mode.METADATA_ONLY);
    }
    if ("PartialObjectMetadataList".equals(kind)) {
      log.info("informers: listing and watching Workflows as metadata only "
          + "(PartialObjectMetadata), in pages of {}", PAGE_SIZE);
      return new InformerSource(metadata, true, Mode.METADATA_ONLY);
    }
    metadata.close();
    log.info("informers: the API server answered a metadata-only list with kind {}; listing and "
        + "watching full Workflows (the cache keeps only their keys), in pages of {}", kind,
        PAGE_SIZE);
    return new InformerSource(base, false, Mode.FULL_OBJECTS);
  }

  /**
   * A source over {@code client} as it is, without a probe: full objects, unless the client
   * already carries {@link MetadataOnlyAccept}. The caller keeps ownership of the client.
   */
  static InformerSource over(KubernetesClient client, Mode mode) {
    return new InformerSource(Objects.requireNonNull(client, "client"), false, mode);
  }

  /**
   * A real API server answers a metadata-only LIST that matches nothing with
   * {@code "items": null} (Go's nil slice), which fabric8's informer dereferences and fails on,
   * retrying forever while the scope stays empty. Read a null list as an empty one.
   */
  private static final KubernetesSerialization NULL_LISTS_AS_EMPTY = new KubernetesSerialization(
      JsonMapper.builder().withConfigOverride(List.class, o -> o.setNullHandling(
          JsonSetter.Value.forValueNulls(Nulls.AS_EMPTY))).build(), true);

  /** A builder for the informers' metadata-only client: {@code config}, HTTP watches only. */
  static KubernetesClientBuilder metadataClientBuilder(Config config,
      Consumer<HttpClient.Builder> http) {
    // HTTP watches rather than WebSockets: the Accept header of a plain GET is what the API
    // server negotiates the watch's media type on. The informers only read, so the bound that
    // leader election puts on every write (a few seconds) does not apply to them: a first list
    // on a slow API server must be able to finish.
    Config copy = new ConfigBuilder(config).withOnlyHttpWatches(true)
        .withRequestTimeout(readTimeoutMillis(config.getRequestTimeout())).build();
    return new KubernetesClientBuilder()
        .withConfig(copy)
        .withKubernetesSerialization(NULL_LISTS_AS_EMPTY)
        .withHttpClientFactory(new JdkHttpClientFactory())
        .withHttpClientBuilderConsumer(builder -> {
          builder.addOrReplaceInterceptor(MetadataOnlyAccept.NAME, new MetadataOnlyAccept());
          http.accept(builder);
        });
  }

  /** The least time an informer's request may take, whatever bound the writes have. */
  static final int READ_TIMEOUT_FLOOR_MILLIS = 30_000;

  /** {@code configured}, raised to {@link #READ_TIMEOUT_FLOOR_MILLIS}; 0 (no bound) stays 0. */
  static int readTimeoutMillis(int configured) {
    return configured <= 0 ? configured : Math.max(configured, READ_TIMEOUT_FLOOR_MILLIS);
  }

  public Mode mode() {
    return mode;
  }

  /**
   * An informer (not started, resync off) over the Workflows of {@code scope} ({@code "*"} for
   * all namespaces) that {@code selector} matches, listing in pages.
   */
  public SharedIndexInformer<GenericKubernetesResource> informer(String scope, String selector) {
    var op = Workflows.operation(client);
    var scoped = "*".equals(scope) ? op.inAnyNamespace() : op.inNamespace(scope);
    return scoped.withLabelSelector(selector).withLimit(PAGE_SIZE).runnableInformer(0);
  }

  @Override
  public void close() {
    if (owned) {
      client.close();
    }
  }

  private static String collectionPath(String scope) {
    String root = "/apis/" + WorkflowLabels.GROUP + "/" + WorkflowLabels.VERSION + "/";
    return "*".equals(scope) ? root + WorkflowLabels.PLURAL
        : root + "namespaces/" + scope + "/" + WorkflowLabels.PLURAL;
  }
}
