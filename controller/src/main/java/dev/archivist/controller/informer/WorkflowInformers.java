package dev.archivist.controller.informer;

import dev.archivist.controller.kube.Workflows;
import dev.archivist.core.WorkflowKey;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The informers that feed the archive queue: one per watched namespace, or one for all.
 *
 * <p>Each lists and watches Workflows with the server-side selector
 * {@value Workflows#INFORMER_SELECTOR}, so the API server sends only candidates, and a workflow
 * leaves the informer once we label it. Resync is off: it would add one event per cached object
 * to fabric8's unbounded dispatch queue and adds nothing here (the sweep covers dropped keys).
 *
 * <p>The cache keeps a reduced state of each workflow in a {@link ReducedStateItemStore}: its
 * {@code namespace/name} key and its {@code resourceVersion}, which fabric8 needs to tell an
 * update from a replay. Nothing reads the cache but the sweep (keys) and the pending gauge (size),
 * and the workers GET the latest object anyway, so neither labels nor uid are kept: a pending
 * workflow costs its key, not its size.
 *
 * <p>Thread-safety: built and started by the controller's lifecycle methods; the read methods
 * may be called from any thread (the stores are concurrent maps, {@code hasSynced} is volatile).
 */
public final class WorkflowInformers implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkflowInformers.class);

  private final List<SharedIndexInformer<GenericKubernetesResource>> informers;
  private final List<ReducedStateItemStore<GenericKubernetesResource>> stores;
  private final List<String> scopes;

  private WorkflowInformers(List<SharedIndexInformer<GenericKubernetesResource>> informers,
      List<ReducedStateItemStore<GenericKubernetesResource>> stores, List<String> scopes) {
    this.informers = informers;
    this.stores = stores;
    this.scopes = scopes;
  }

  /**
   * Builds (without starting) one informer per namespace, or one over all namespaces when
   * {@code namespaces} is empty.
   */
  public static WorkflowInformers build(KubernetesClient client, List<String> namespaces,
      ResourceEventHandler<? super HasMetadata> handler) {
    List<String> scopes = namespaces.isEmpty() ? List.of("*") : namespaces;
    List<SharedIndexInformer<GenericKubernetesResource>> informers = new ArrayList<>();
    List<ReducedStateItemStore<GenericKubernetesResource>> stores = new ArrayList<>();
    for (String scope : scopes) {
      var op = Workflows.operation(client);
      var scoped = "*".equals(scope) ? op.inAnyNamespace() : op.inNamespace(scope);
      SharedIndexInformer<GenericKubernetesResource> informer =
          scoped.withLabelSelector(Workflows.INFORMER_SELECTOR).runnableInformer(0);
      ReducedStateItemStore<GenericKubernetesResource> store = new ReducedStateItemStore<>(
          ReducedStateItemStore.NAME_KEY_STATE, GenericKubernetesResource.class,
          client.getKubernetesSerialization());
      informer.removeNamespaceIndex();
      informer.itemStore(store);
      informer.addEventHandler(handler);
      // Keep relisting whatever went wrong (RBAC not there yet, API server restarting): the
      // controller is not ready meanwhile, and giving up would need a restart to recover.
      informer.exceptionHandler((started, t) -> {
        log.warn("archive controller: informer for Workflows in {} failed{}; retrying: {}",
            describe(scope), started ? "" : " before its first list", t.toString());
        return true;
      });
      informers.add(informer);
      stores.add(store);
    }
    return new WorkflowInformers(List.copyOf(informers), List.copyOf(stores),
        List.copyOf(scopes));
  }

  /** Starts every informer; returns at once. Their first lists complete in the background. */
  public void start() {
    for (int i = 0; i < informers.size(); i++) {
      String scope = scopes.get(i);
      informers.get(i).start().whenComplete((ok, t) -> {
        if (t == null) {
          log.info("archive controller: informer for Workflows in {} synced", describe(scope));
        }
      });
    }
  }

  /** True once every informer has listed its Workflows at least once. */
  public boolean isSynced() {
    for (SharedIndexInformer<GenericKubernetesResource> informer : informers) {
      if (!informer.hasSynced()) {
        return false;
      }
    }
    return true;
  }

  /** How many workflows the informers hold: completed, not yet marked Archived. */
  public int size() {
    int n = 0;
    for (ReducedStateItemStore<GenericKubernetesResource> store : stores) {
      n += store.size();
    }
    return n;
  }

  /** Calls {@code action} with the key of every workflow the informers hold. */
  public void forEachKey(Consumer<WorkflowKey> action) {
    for (ReducedStateItemStore<GenericKubernetesResource> store : stores) {
      store.keySet().forEach(k -> action.accept(WorkflowKey.parse(k)));
    }
  }

  /** Stops every informer: no more events reach the handler. */
  @Override
  public void close() {
    for (SharedIndexInformer<GenericKubernetesResource> informer : informers) {
      informer.stop();
    }
  }

  private static String describe(String scope) {
    return "*".equals(scope) ? "all namespaces" : "namespace " + scope;
  }
}
