package dev.archivist.controller.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.archivist.controller.kube.ForwardingWorkflowApi;
import dev.archivist.controller.kube.WorkflowApi;
import dev.archivist.controller.kube.WorkflowApiException;
import dev.archivist.controller.metrics.ControllerMetrics;
import dev.archivist.core.WorkflowKey;
import dev.archivist.store.ArchiveStore;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Which departures from the informers count as lost. */
class LostWorkflowsTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** What the API server holds now: key to uid. */
  private final Map<WorkflowKey, String> cluster = new ConcurrentHashMap<>();
  /** Uids the archive has rows for. */
  private final Set<String> rows = ConcurrentHashMap.newKeySet();
  private final List<WorkflowKey> gets = new CopyOnWriteArrayList<>();
  private final AtomicInteger failingGets = new AtomicInteger();
  private final AtomicInteger lost = new AtomicInteger();
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

  private final WorkflowApi api = new WorkflowApi() {
    @Override
    public Optional<JsonNode> get(WorkflowKey key) {
      gets.add(key);
      if (failingGets.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new WorkflowApiException("GET", key, 503, 0, new RuntimeException("injected"));
      }
      String uid = cluster.get(key);
      return uid == null ? Optional.empty()
          : Optional.of(JSON.readTree("{\"metadata\":{\"uid\":\"" + uid + "\"}}"));
    }

    @Override
    public Page list(String namespace, String selector, int limit, String continueToken) {
      throw new AssertionError("no LIST here");
    }

    @Override
    public MarkResult markArchived(WorkflowKey key, Marking marking) {
      return MarkResult.MARKED;
    }
  };

  private final ArchiveStore store = (ArchiveStore) Proxy.newProxyInstance(
      ArchiveStore.class.getClassLoader(), new Class<?>[] {ArchiveStore.class},
      (proxy, method, args) -> {
        if (method.getName().equals("get") && args.length == 1) {
          return rows.contains((String) args[0])
              ? Optional.of(JSON.createObjectNode()) : Optional.empty();
        }
        throw new AssertionError("store." + method.getName() + " called");
      });

  private final LostWorkflows detector = new LostWorkflows(api, store, new ControllerMetrics() {
    @Override
    public void lost() {
      lost.incrementAndGet();
    }
  }, executor, Duration.ofMillis(20));

  private final ResourceEventHandler<HasMetadata> handler =
      detector.alongside(new ResourceEventHandler<>() {
        @Override
        public void onAdd(HasMetadata obj) {}

        @Override
        public void onUpdate(HasMetadata oldObj, HasMetadata newObj) {}

        @Override
        public void onDelete(HasMetadata obj, boolean deletedFinalStateUnknown) {}
      });

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  private static HasMetadata workflow(String name, String uid) {
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setMetadata(new ObjectMetaBuilder().withNamespace("ns").withName(name).withUid(uid)
        .build());
    return r;
  }

  /** The informer's news that {@code ns/name} of {@code uid} left its view. */
  private void depart(String name, String uid) {
    handler.onDelete(workflow(name, uid), false);
  }

  private void awaitOneLost() {
    await().atMost(Duration.ofSeconds(10)).until(() -> lost.get() == 1);
  }

  /** A marker departure: once it is counted, every departure before it was decided. */
  private void awaitDecided() {
    int before = lost.get(); // read first: the marker may be decided before onDelete returns
    depart("marker", "uid-marker");
    await().atMost(Duration.ofSeconds(10)).until(() -> gets.contains(
        new WorkflowKey("ns", "marker")) && lost.get() > before);
    lost.decrementAndGet();
  }

  @Test
  void departure_ofAWorkflowWeMarked_isNotCountedAndCostsNoRequest() {
    detector.tracking(api).markArchived(new WorkflowKey("ns", "a"),
        new WorkflowApi.Marking("uid-a", true, "1"));

    depart("a", "uid-a");
    awaitDecided();

    assertThat(lost.get()).isZero();
    assertThat(gets).containsExactly(new WorkflowKey("ns", "marker"));
  }

  @Test
  void departure_ofAWorkflowGoneWithoutARow_isCountedLost() {
    depart("b", "uid-b");

    awaitOneLost();
    assertThat(gets).containsExactly(new WorkflowKey("ns", "b"));
  }

  @Test
  void departure_ofAWorkflowReplacedByANewUid_isCountedLost() {
    cluster.put(new WorkflowKey("ns", "c"), "uid-c2");

    depart("c", "uid-c1");

    awaitOneLost();
  }

  @Test
  void departure_ofAWorkflowStillThere_onlyLeftTheSelector() {
    cluster.put(new WorkflowKey("ns", "d"), "uid-d");

    depart("d", "uid-d");
    awaitDecided();

    assertThat(lost.get()).isZero();
    assertThat(gets).contains(new WorkflowKey("ns", "d"));
  }

  @Test
  void departure_ofAWorkflowGoneWhoseRowExists_isNotLost() {
    rows.add("uid-e");

    depart("e", "uid-e");
    awaitDecided();

    assertThat(lost.get()).isZero();
  }

  @Test
  void departure_whileTheApiServerFails_isDecidedOnceItAnswers() {
    failingGets.set(3);

    depart("f", "uid-f");

    awaitOneLost();
    assertThat(gets).hasSize(4);
  }

  @Test
  void markThatFoundTheWorkflowChanged_isForgotten_soItsDepartureIsChecked() {
    WorkflowApi changed = new ForwardingWorkflowApi(api) {
      @Override
      public MarkResult markArchived(WorkflowKey key, Marking marking) {
        return MarkResult.CHANGED;
      }
    };
    detector.tracking(changed).markArchived(new WorkflowKey("ns", "g"),
        new WorkflowApi.Marking("uid-g", true, "1"));

    depart("g", "uid-g");

    awaitOneLost();
  }
}
