package dev.archivist.controller.informer;

import dev.archivist.controller.kube.KubeOutages;
import dev.archivist.core.WorkflowKey;
import dev.archivist.core.WorkflowLabels;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Informers over Workflows: one per watched namespace, or one for all. The archive's intake feeds
 * the archive queue; the lifecycle's deletion watches Archived workflows through the same class.
 *
 * <p>Each lists and watches the Workflows its selector matches, applied by the API server. The
 * archive's selector ({@link InformerSelector}) is complete: completed, not yet marked
 * {@code Archived}, of this Argo instance, matching {@code --archive-label-selector}; a workflow
 * it excludes never reaches the controller, and one leaves the informer once we label it. They
 * list in pages and, where the API server can, receive metadata only ({@link InformerSource},
 * chosen by a probe when they start).
 * Resync is off: it would add one event per cached object to fabric8's unbounded dispatch queue
 * and adds nothing here (the sweep covers dropped keys).
 *
 * <p>The cache keeps a reduced state of each workflow in a {@link ReducedStateItemStore}: its
 * {@code namespace/name} key and its {@code resourceVersion}, which fabric8 needs to tell an
 * update from a replay, and which the workers compare with a LIST page's copy. A pending workflow
 * costs its key, not its size.
 *
 * <p>What fabric8 keeps from the informer, interceptors on the informers' client tell: a watch
 * the API server refuses ({@link WatchRefusals}) and requests that get no answer at all
 * ({@link OutageReports}), for readiness; fabric8's watch manager retries both by itself. A
 * watch that the API server accepts and ends again and again from the same resourceVersion
 * ({@link WatchStalls}) would be retried by fabric8 forever without listing again; that scope's
 * informer is replaced by a fresh one, which lists, and the stalled one is stopped once the new
 * one has synced.
 *
 * <p>Thread-safety: {@link #start()} and {@link #close()} are called by the controller's
 * lifecycle methods, once each; the read methods may be called from any thread (the stores are
 * concurrent maps, {@code hasSynced} is volatile, the lists are published through a volatile
 * field, replaced whole, under this object's lock, when a stalled scope's informer is
 * replaced). Before {@code start()} the informers hold nothing and are not synced.
 */
public final class WorkflowInformers implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkflowInformers.class);

  private final KubernetesClient client;
  private final List<String> scopes;
  private final String selector;
  private final ResourceEventHandler<? super HasMetadata> handler;
  /** Who the log lines speak for, e.g. {@code archive controller}. */
  private final String component;
  /** What the informers watch, for the log lines, e.g. {@code Workflows}. */
  private final String what;
  /** JSON paths the cache keeps besides the key and resourceVersion, e.g. metadata.uid. */
  private final String[] keptFields;
  /** Where the informers' failed and answered requests are reported, for readiness. */
  private final KubeOutages outages;
  private volatile Started started;
  /** The last failure of each scope's informer, for readiness; cleared by a successful sync. */
  private final Map<String, String> failures = new ConcurrentHashMap<>();
  /** The scopes whose watch the API server refuses, which fabric8 retries without telling us. */
  private final WatchRefusals watchRefusals = new WatchRefusals(scope ->
      log.warn("{} (the watch is retried)", forbidden(scope, "watch", "Forbidden")));
  /** The scopes whose watch cannot go on, which fabric8 would retry without listing again. */
  private final WatchStalls watchStalls = new WatchStalls(this::stalled);
  /** The fresh informers being listed for stalled scopes, by scope; guarded by {@code this}. */
  private final Map<String, SharedIndexInformer<GenericKubernetesResource>> replacing =
      new HashMap<>();
  /** Guarded by {@code this}. */
  private boolean closed;
  private final AtomicLong relists = new AtomicLong();

  private record Started(InformerSource source,
      List<SharedIndexInformer<GenericKubernetesResource>> informers,
      List<ReducedStateItemStore<GenericKubernetesResource>> stores) {}

  private WorkflowInformers(KubernetesClient client, List<String> scopes, String selector,
      String component, String what, ResourceEventHandler<? super HasMetadata> handler,
      KubeOutages outages, String[] keptFields) {
    this.outages = outages;
    this.client = client;
    this.scopes = scopes;
    this.selector = selector;
    this.component = component;
    this.what = what;
    this.handler = handler;
    this.keptFields = keptFields.clone();
  }

  /**
   * Informers (not started) over one namespace each, or one over all namespaces when
   * {@code namespaces} is empty, of the Workflows that {@code selector} (in the API server's
   * syntax, see {@link InformerSelector#render}) matches. Their cache keeps each workflow's key,
   * its resourceVersion and the {@code keptFields} (JSON paths such as {@code metadata.uid});
   * {@code component} and {@code what} name them in the log.
   */
  public static WorkflowInformers build(KubernetesClient client, List<String> namespaces,
      String selector, String component, String what,
      ResourceEventHandler<? super HasMetadata> handler, String... keptFields) {
    return build(client, namespaces, selector, component, what, handler, KubeOutages.ignored(),
        keptFields);
  }

  /**
   * As above, reporting every request of the informers to {@code outages}: a request without an
   * answer or with an outage code as a failure, any other answer as a success (see
   * {@link #failingFor()}).
   */
  public static WorkflowInformers build(KubernetesClient client, List<String> namespaces,
      String selector, String component, String what,
      ResourceEventHandler<? super HasMetadata> handler, KubeOutages outages,
      String... keptFields) {
    return new WorkflowInformers(Objects.requireNonNull(client, "client"),
        namespaces.isEmpty() ? List.of("*") : List.copyOf(namespaces),
        Objects.requireNonNull(selector, "selector"), component, what,
        Objects.requireNonNull(handler, "handler"), Objects.requireNonNull(outages, "outages"),
        keptFields);
  }

  /**
   * How long every request of the informers has failed without an answer in between (zero when
   * the last one was answered): what shows that the API server is unreachable, since a broken
   * watch is reconnected inside the client without the informer noticing.
   */
  public Duration failingFor() {
    return outages.failingFor();
  }

  /**
   * Probes the API server (one small LIST), builds the informers and starts them; returns once
   * they are started. Their first lists complete in the background.
   */
  public void start() {
    InformerSource source = InformerSource.probe(client, scopes, selector,
        http -> http.addOrReplaceInterceptor(WatchRefusals.NAME, watchRefusals)
            .addOrReplaceInterceptor(OutageReports.NAME, new OutageReports(outages))
            .addOrReplaceInterceptor(WatchStalls.NAME, watchStalls));
    List<SharedIndexInformer<GenericKubernetesResource>> informers = new ArrayList<>();
    List<ReducedStateItemStore<GenericKubernetesResource>> stores = new ArrayList<>();
    for (String scope : scopes) {
      ReducedStateItemStore<GenericKubernetesResource> store = newStore();
      informers.add(newInformer(source, scope, store));
      stores.add(store);
    }
    synchronized (this) {
      if (closed) {
        source.close();
        return;
      }
      started = new Started(source, List.copyOf(informers), List.copyOf(stores));
    }
    for (int i = 0; i < informers.size(); i++) {
      String scope = scopes.get(i);
      informers.get(i).start().whenComplete((ok, t) -> {
        if (t == null) {
          failures.remove(scope);
          log.info("{}: informer for {} in {} synced", component, what, describe(scope));
        }
      });
    }
  }

  private ReducedStateItemStore<GenericKubernetesResource> newStore() {
    return new ReducedStateItemStore<>(ReducedStateItemStore.NAME_KEY_STATE,
        GenericKubernetesResource.class, client.getKubernetesSerialization(), keptFields);
  }

  /** An informer (not started) over {@code scope}, keeping its state in {@code store}. */
  private SharedIndexInformer<GenericKubernetesResource> newInformer(InformerSource source,
      String scope, ReducedStateItemStore<GenericKubernetesResource> store) {
    SharedIndexInformer<GenericKubernetesResource> informer = source.informer(scope, selector);
    informer.removeNamespaceIndex();
    informer.itemStore(store);
    informer.addEventHandler(handler);
    // Keep relisting whatever went wrong (RBAC not there yet, API server restarting): the
    // controller is not ready meanwhile, and giving up would need a restart to recover.
    informer.exceptionHandler((wasStarted, t) -> {
      String failure = failure(scope, t);
      log.warn("{} (informer {}; retrying)", failure,
          wasStarted ? "started" : "before its first list");
      failures.put(scope, failure);
      return true;
    });
    return informer;
  }

  /** Called by {@link WatchStalls} on an HTTP thread: the work is handed off. */
  private void stalled(String scope, String resourceVersion, int attempts, Duration over) {
    log.warn("{}: the watch of {} in {} was accepted and ended {} times in {} s from "
        + "resourceVersion {} without going on (the client retries it from there forever); "
        + "listing them again", component, what, describe(scope), attempts, over.toSeconds(),
        resourceVersion);
    CompletableFuture.runAsync(() -> replace(scope));
  }

  /**
   * Lists {@code scope} again with a fresh informer and, once it has synced, puts it in place of
   * the stalled one, which is then stopped. The fresh informer's list calls the handler for
   * every workflow it finds, as a first list does; keys already queued are not queued twice.
   */
  void replace(String scope) {
    int index = scopes.indexOf(scope);
    ReducedStateItemStore<GenericKubernetesResource> store = newStore();
    SharedIndexInformer<GenericKubernetesResource> fresh;
    synchronized (this) {
      Started s = started;
      if (closed || s == null || index < 0 || replacing.containsKey(scope)) {
        return;
      }
      fresh = newInformer(s.source(), scope, store);
      replacing.put(scope, fresh);
    }
    relists.incrementAndGet();
    fresh.start().whenComplete((ok, t) -> {
      SharedIndexInformer<GenericKubernetesResource> stalled = null;
      synchronized (this) {
        replacing.remove(scope);
        Started s = started;
        if (t == null && !closed && s != null) {
          List<SharedIndexInformer<GenericKubernetesResource>> informers =
              new ArrayList<>(s.informers());
          List<ReducedStateItemStore<GenericKubernetesResource>> stores =
              new ArrayList<>(s.stores());
          stalled = informers.set(index, fresh);
          stores.set(index, store);
          started = new Started(s.source(), List.copyOf(informers), List.copyOf(stores));
        } else {
          stalled = fresh;
        }
      }
      watchStalls.reset(scope);
      stalled.stop();
      if (t == null) {
        failures.remove(scope);
        log.info("{}: informer for {} in {} listed again and watching", component, what,
            describe(scope));
      }
    });
  }

  /** How many times a stalled watch made a scope list again, since the start. */
  public long relists() {
    return relists.get();
  }

  /** True once every informer has listed its Workflows at least once. */
  public boolean isSynced() {
    Started s = started;
    if (s == null) {
      return false;
    }
    for (SharedIndexInformer<GenericKubernetesResource> informer : s.informers()) {
      if (!informer.hasSynced()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the informers receive metadata only: a real API server, which also honours
   * {@code limit} on the workers' LIST pages. False before {@link #start()}.
   */
  public boolean servesMetadata() {
    Started s = started;
    return s != null && s.source().mode() == InformerSource.Mode.METADATA_ONLY;
  }

  /**
   * Why an informer cannot list or watch now, or null when every one watches. A 403 names the
   * permission refused: verb, resource, group and namespace ({@code forbidden: cannot watch
   * workflows.argoproj.io in namespace x: grant watch ...}), then the API server's own words.
   */
  public String problem() {
    Started s = started;
    if (s == null) {
      return null;
    }
    for (int i = 0; i < s.informers().size(); i++) {
      String scope = scopes.get(i);
      String failure = failures.get(scope);
      if (failure != null && !s.informers().get(i).isWatching()) {
        return failure;
      }
      if (watchRefusals.isRefused(scope)) {
        return forbidden(scope, "watch", "Forbidden");
      }
    }
    return null;
  }

  private String failure(String scope, Throwable thrown) {
    boolean watching = false;
    Throwable t = thrown;
    while (!(t instanceof KubernetesClientException) && t.getCause() != null) {
      // The informer wraps the client's exception: in a CompletionException for a list, in a
      // WatcherException for a watch.
      watching |= t instanceof WatcherException;
      t = t.getCause();
    }
    if (t instanceof KubernetesClientException e && e.getCode() == 403) {
      String message = e.getStatus() != null && e.getStatus().getMessage() != null
          ? e.getStatus().getMessage() : e.getMessage();
      return forbidden(scope,
          refusedVerb(message, watching || thrown instanceof WatcherException), message);
    }
    return component + ": the informer for " + what + " in " + describe(scope)
        + " cannot list or watch: " + t.getMessage();
  }

  /** What readiness and the log say when the API server refuses {@code verb} in {@code scope}. */
  private String forbidden(String scope, String verb, String serverMessage) {
    String resource = WorkflowLabels.PLURAL + "." + WorkflowLabels.GROUP;
    String where = "*".equals(scope) ? "at the cluster scope" : "in namespace " + scope;
    return component + ": forbidden: cannot " + verb + " " + resource + " " + where + ": grant "
        + verb + " on " + resource + " " + where + " to the ServiceAccount"
        + ("*".equals(scope) ? " (a ClusterRole)" : "") + ", as deploy/rbac.yaml does (the "
        + what + " informer is not ready until then); the API server said: " + serverMessage;
  }

  /** How the API server words a refusal: {@code ... cannot watch resource "workflows" ...}. */
  private static final Pattern REFUSED_VERB = Pattern.compile("cannot (\\w+) resource ");

  /**
   * The verb the API server refused: its message says it for a list; a refused watch arrives as
   * a bare {@code Forbidden} status, told apart by the exception that carries it.
   */
  static String refusedVerb(String message, boolean watching) {
    Matcher m = REFUSED_VERB.matcher(message == null ? "" : message);
    if (m.find()) {
      return m.group(1);
    }
    return watching ? "watch" : "list";
  }

  /** How many workflows the informers hold: completed, not yet marked Archived. */
  public int size() {
    Started s = started;
    int n = 0;
    if (s != null) {
      for (ReducedStateItemStore<GenericKubernetesResource> store : s.stores()) {
        n += store.size();
      }
    }
    return n;
  }

  /** Calls {@code action} with the key of every workflow the informers hold. */
  public void forEachKey(Consumer<WorkflowKey> action) {
    Started s = started;
    if (s == null) {
      return;
    }
    for (ReducedStateItemStore<GenericKubernetesResource> store : s.stores()) {
      store.keySet().forEach(k -> action.accept(WorkflowKey.parse(k)));
    }
  }

  /**
   * The resourceVersion the informers last saw for {@code key}, or null when they do not hold it
   * (never seen, deleted, or no longer selected: marked Archived, say).
   */
  public String resourceVersion(WorkflowKey key) {
    return firstHeld(key, ReducedStateItemStore::getResourceVersion);
  }

  /**
   * What the informers hold of {@code key}: its name, namespace, resourceVersion and the kept
   * fields, or null when they do not hold it.
   */
  public GenericKubernetesResource cached(WorkflowKey key) {
    return firstHeld(key, ReducedStateItemStore::get);
  }

  /** What {@code read} finds of {@code key} in the first store that holds it, or null. */
  private <T> T firstHeld(WorkflowKey key,
      BiFunction<ReducedStateItemStore<GenericKubernetesResource>, String, T> read) {
    Started s = started;
    if (s == null) {
      return null;
    }
    String k = key.toString();
    for (ReducedStateItemStore<GenericKubernetesResource> store : s.stores()) {
      T found = read.apply(store, k);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  /** Stops every informer: no more events reach the handler. */
  @Override
  public void close() {
    Started s;
    List<SharedIndexInformer<GenericKubernetesResource>> pending;
    synchronized (this) {
      closed = true;
      s = started;
      pending = List.copyOf(replacing.values());
    }
    pending.forEach(SharedIndexInformer::stop);
    if (s == null) {
      return;
    }
    for (SharedIndexInformer<GenericKubernetesResource> informer : s.informers()) {
      informer.stop();
    }
    s.source().close();
  }

  private static String describe(String scope) {
    return "*".equals(scope) ? "all namespaces" : "namespace " + scope;
  }
}
