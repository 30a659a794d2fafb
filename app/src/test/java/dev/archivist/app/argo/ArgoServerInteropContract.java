package dev.archivist.app.argo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.core.WorkflowLabels;
import dev.archivist.server.ArchiveServer;
import dev.archivist.server.ServerOptions;
import dev.archivist.store.ArchiveStore;
import dev.archivist.store.BatchResult;
import dev.archivist.store.StoreConfig;
import dev.archivist.store.WorkflowDocument;
import dev.archivist.store.WorkflowDocuments;
import dev.archivist.store.argo.ArgoNodesConfig;
import dev.archivist.store.argo.NodeRestoration;
import dev.archivist.testing.HttpTestClient;
import dev.archivist.testing.KubeExtension;
import dev.archivist.testing.TestCluster;
import dev.archivist.testing.TestDatabase;
import dev.archivist.testing.WorkflowBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The real Argo Server reads what Archivist wrote: Archivist archives workflows into a database
 * through its store, an {@code argo server} (built from Argo's release by
 * {@code hack/argo/build.sh}) is pointed at the same database through its
 * {@code workflow-controller-configmap} on a real API server, and every query of the archive API
 * is asked of both servers. Each must return the same workflows, each exactly once, with the same
 * fields, except for the differences {@code docs/argo-interop.md} lists (each is named in
 * {@link #ALLOWED_LIST_DIFFERENCES} and {@link #ALLOWED_GET_DIFFERENCES} with its reason).
 *
 * <p>Every comparison collects all its mismatches before failing, so one run shows them all.
 * Each database runs it through a subclass that registers its extension.
 */
@ExtendWith({ArgoBinaries.class, KubeExtension.class})
abstract class ArgoServerInteropContract {
  static final String LIST = "/api/v1/archived-workflows";
  static final String ARGO_CONFIGMAP = "workflow-controller-configmap";
  static final String DB_SECRET = "argo-archive-db";
  /** Small, so that every query spans several pages. */
  static final int PAGE = 7;

  /**
   * Fields of list items that differ on purpose, by path prefix, with the reason. Every other
   * difference fails the test.
   */
  static final Map<String, String> ALLOWED_LIST_DIFFERENCES = Map.of();

  /** The same for the whole workflow of get-by-uid and get-by-name. */
  static final Map<String, String> ALLOWED_GET_DIFFERENCES = Map.of(
      "apiVersion", "Argo Server answers without apiVersion and kind; Archivist serves the"
          + " stored workflow, which has them",
      "kind", "as apiVersion");

  private static KubeTestBed kube;
  private static ArgoBinaries binaries;
  private static String prefix;
  private static ArchiveStore store;
  private static ArgoPersistence persistence;
  private static ArgoServerProcess argo;
  private static ArchiveServer archivist;
  private static HttpTestClient argoHttp;
  private static HttpTestClient archivistHttp;
  private static final List<ObjectNode> ARCHIVED = new ArrayList<>();
  private static String liveRunningName;
  private static String liveArchivedUid;
  private static String liveUnmarkedUid;

  @BeforeAll
  static void start(TestDatabase db, TestCluster cluster) throws Exception {
    binaries = ArgoBinaries.require();
    kube = new KubeTestBed(cluster);
    KubernetesClient client = kube.client();
    kube.installCrds(binaries.crds());

    prefix = "ai-" + (db.dialect().equals("postgresql") ? "pg" : "my") + "-"
        + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);
    String home = prefix + "-argo";
    List<String> namespaces = new ArrayList<>(List.of(home, prefix + "-live"));
    for (String suffix : InteropWorkflows.SUFFIXES) {
      namespaces.add(prefix + "-" + suffix);
    }
    kube.createNamespaces(namespaces);
    String token = kube.readerToken(home, prefix + "-reader");

    ARCHIVED.clear();
    ARCHIVED.addAll(InteropWorkflows.build(prefix, KubeTestBed.fixturesPresent()));
    ARCHIVED.addAll(createLiveWorkflows(client, prefix + "-live"));

    persistence = ArgoPersistence.prepare(db);
    store = ArchiveStore.open(StoreConfig.of(db.jdbcUrl(), null, null));
    store.migrate();
    persistence.grantRead();
    List<ObjectNode> moved = InteropWorkflows.movedNodes(prefix + "-hand");
    InteropWorkflows.offload(db, moved.get(1));
    archiveRestoringNodes(store, moved);
    ARCHIVED.addAll(moved);
    archive(store, ARCHIVED.subList(0, ARCHIVED.size() - moved.size()));
    // Archivist marks a workflow Archived once its row is committed; one of the live ones is
    // left unmarked, as between the commit and the PATCH.
    kube.labelArchived(prefix + "-live", nameOf(liveArchivedUid));

    kube.createConfigMap(home, ARGO_CONFIGMAP,
        Map.of("persistence", persistence.persistenceYaml(DB_SECRET)));
    kube.createSecret(home, DB_SECRET, persistence.secretData());

    Path log = Path.of("target", "argo", "argo-server-" + prefix + ".log").toAbsolutePath();
    argo = ArgoServerProcess.start(binaries, kube.kubeconfig(), home, token, log);
    argoHttp = argo.client(token);

    archivist = ArchiveServer.start(store, ServerOptions.defaults().withPort(0)
        .withBindAddress("127.0.0.1"), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
        List.of());
    archivistHttp = new HttpTestClient("http://127.0.0.1:" + archivist.port(), null, "archivist");

  }

  @AfterAll
  static void stop() throws Exception {
    if (argo != null) {
      argo.close();
    }
    if (archivist != null) {
      archivist.close();
    }
    if (store != null) {
      store.close();
    }
    if (persistence != null) {
      persistence.close();
    }
    if (kube != null) {
      kube.close();
    }
    kube = null;
    argo = null;
    archivist = null;
    store = null;
    persistence = null;
  }

  /**
   * Whether Argo Server can list the archive on this database at all. Argo's list query reads
   * the JSON with MySQL's {@code ->} operator, which MariaDB does not have: on MariaDB every
   * archive list (and the unified list) of Argo Server fails, whatever wrote the archive.
   */
  boolean argoListsTheArchive() {
    return true;
  }

  /**
   * Where Argo Server cannot list the archive: it fails with MariaDB's syntax error on
   * {@code ->} (so that a release that fixes it makes this test say so), and Archivist answers.
   */
  private static void assertArgoListFailsOnMariaDb(String argoPath, String archivistPath) {
    HttpTestClient.Response a = argoHttp.get(argoPath);
    assertThat(a.status()).as("Argo Server's list on MariaDB: %s", a.bodyStart()).isEqualTo(500);
    assertThat(a.body()).contains("1064").contains("$.metadata.labels");
    assertThat(archivistHttp.get(archivistPath).status()).isEqualTo(200);
  }

  // --- the comparisons --------------------------------------------------------------------------

  /** Every list query, both servers, every page: the same workflows, once each, same fields. */
  @Test
  void list_everyQuery_sameWorkflowsAsArgoServer() {
    Map<String, String> queries = listQueries();
    if (!argoListsTheArchive()) {
      for (String q : queries.values()) {
        String path = LIST + "?" + (q.isEmpty() ? "" : q + "&") + "listOptions.limit=" + PAGE;
        assertArgoListFailsOnMariaDb(path, path);
      }
      return;
    }
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, String> q : queries.entrySet()) {
      compareList(q.getKey(), q.getValue(), problems);
    }
    assertThat(problems).as("differences between Argo Server and Archivist over %d list queries",
        queries.size()).isEmpty();
  }

  /** Argo's clients page by integer offset; Archivist accepts that and gives the same pages. */
  @Test
  void list_integerOffsetContinue_samePagesAsArgoServer() {
    if (!argoListsTheArchive()) {
      String path = LIST + "?listOptions.limit=" + PAGE + "&listOptions.continue=" + PAGE;
      assertArgoListFailsOnMariaDb(path, path);
      return;
    }
    List<String> problems = new ArrayList<>();
    for (int offset = 0; offset < ARCHIVED.size() + PAGE; offset += PAGE) {
      String q = "listOptions.limit=" + PAGE + "&listOptions.continue=" + offset;
      List<String> a = uids(argoHttp.getJson(LIST + "?" + q));
      List<String> b = uids(archivistHttp.getJson(LIST + "?" + q));
      if (!a.equals(b)) {
        problems.add("offset " + offset + ": argo " + a + " archivist " + b);
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void get_byUid_sameWorkflowAsArgoServer() {
    List<String> problems = new ArrayList<>();
    for (ObjectNode wf : ARCHIVED) {
      String uid = wf.get("metadata").get("uid").asString();
      JsonNode a = argoHttp.getJson(LIST + "/" + uid);
      JsonNode b = archivistHttp.getJson(LIST + "/" + uid);
      for (String d : JsonDiff.diff(a, b)) {
        if (!allowed(d, ALLOWED_GET_DIFFERENCES)) {
          problems.add(describe(wf) + ": " + d);
        }
      }
    }
    assertThat(problems).as("get by uid, %d workflows", ARCHIVED.size()).isEmpty();
  }

  @Test
  void get_byNamespaceAndName_sameLatestWorkflowAsArgoServer() {
    List<String> problems = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (ObjectNode wf : ARCHIVED) {
      String ns = wf.get("metadata").get("namespace").asString();
      String name = wf.get("metadata").get("name").asString();
      if (!seen.add(ns + "/" + name)) {
        continue;
      }
      String path = LIST + "/?namespace=" + HttpTestClient.enc(ns)
          + "&name=" + HttpTestClient.enc(name);
      HttpTestClient.Response a = argoHttp.get(path);
      HttpTestClient.Response b = archivistHttp.get(path);
      if (a.status() != 200 || b.status() != 200) {
        problems.add(ns + "/" + name + ": argo " + a.status() + ", archivist " + b.status()
            + " (argo: " + a.bodyStart() + ")");
        continue;
      }
      for (String d : JsonDiff.diff(a.json(), b.json())) {
        if (!allowed(d, ALLOWED_GET_DIFFERENCES)) {
          problems.add(ns + "/" + name + ": " + d);
        }
      }
    }
    assertThat(problems).isEmpty();
    assertThat(seen).as("a name archived twice is among them").hasSizeLessThan(ARCHIVED.size());
  }

  @Test
  void labelKeysAndValues_sameAsArgoServer() {
    Set<String> argoKeys = new TreeSet<>(items(argoHttp.getJson(
        "/api/v1/archived-workflows-label-keys")));
    Set<String> ourKeys = new TreeSet<>(items(archivistHttp.getJson(
        "/api/v1/archived-workflows-label-keys")));
    assertThat(ourKeys).isEqualTo(argoKeys);
    assertThat(ourKeys).contains("team", "shard", WorkflowLabels.PHASE);
    List<String> problems = new ArrayList<>();
    for (String key : argoKeys) {
      String q = "/api/v1/archived-workflows-label-values?listOptions.labelSelector="
          + HttpTestClient.enc(key);
      Set<String> a = new TreeSet<>(items(argoHttp.getJson(q)));
      Set<String> b = new TreeSet<>(items(archivistHttp.getJson(q)));
      if (!a.equals(b)) {
        problems.add(key + ": argo " + a + " archivist " + b);
      }
    }
    assertThat(problems).isEmpty();
  }

  /**
   * Argo Server's unified list ({@code /api/v1/workflows/{namespace}}) joins the live workflows it
   * watches and the archive: its archived items are Archivist's list, and a live workflow that
   * Archivist has marked {@code Archived} shows once, from the archive. One archived but not yet
   * marked (the moment between the commit and the PATCH) shows twice, live and archived: that is
   * Argo's doing, with its own archive as well.
   */
  @Test
  void unifiedList_archivedItemsAreArchivistsList() {
    String live = prefix + "-live";
    if (!argoListsTheArchive()) {
      assertArgoListFailsOnMariaDb("/api/v1/workflows/" + HttpTestClient.enc(live),
          LIST + "?namespace=" + HttpTestClient.enc(live));
      return;
    }
    String firstAnswer = argoHttp.get("/api/v1/workflows/" + HttpTestClient.enc(live))
        .bodyStart();
    assertThat(firstAnswer).as("Argo Server's unified list also reads Argo's node-status offload"
        + " table (argo_workflows); without it the list fails").doesNotContain("argo_workflows");
    // The live half of the unified list comes from Argo Server's own informer: wait until it
    // has seen the running workflow.
    Awaitility.await("argo server's informer lists " + liveRunningName)
        .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
        .until(() -> names(argoHttp.getJson("/api/v1/workflows/" + HttpTestClient.enc(live)))
            .contains(liveRunningName));
    List<String> problems = new ArrayList<>();
    for (String suffix : InteropWorkflows.SUFFIXES) {
      String ns = prefix + "-" + suffix;
      JsonNode unified = argoHttp.getJson("/api/v1/workflows/" + HttpTestClient.enc(ns));
      List<JsonNode> fromArchive = new ArrayList<>();
      for (JsonNode item : unified.path("items")) {
        fromArchive.add(item);
      }
      List<JsonNode> ours = pageAll(archivistHttp, "namespace=" + HttpTestClient.enc(ns));
      compareItems("unified " + ns, fromArchive, ours, problems);
    }
    JsonNode unified = argoHttp.getJson("/api/v1/workflows/" + HttpTestClient.enc(live));
    Map<String, Integer> byName = new LinkedHashMap<>();
    for (JsonNode item : unified.path("items")) {
      byName.merge(item.path("metadata").path("name").asString(), 1, Integer::sum);
    }
    assertThat(problems).isEmpty();
    assertThat(byName).as("Argo's unified list of %s", live).containsExactlyInAnyOrderEntriesOf(
        Map.of(liveRunningName, 1, nameOf(liveArchivedUid), 1, nameOf(liveUnmarkedUid), 2));
  }

  // --- list comparison --------------------------------------------------------------------------

  /** Name → query string (without limit or continue). */
  private static Map<String, String> listQueries() {
    ObjectNode sample = ARCHIVED.get(ARCHIVED.size() / 2);
    String sampleName = sample.get("metadata").get("name").asString();
    String sampleNs = sample.get("metadata").get("namespace").asString();
    String midStart = ARCHIVED.get(ARCHIVED.size() / 3).get("status").get("startedAt")
        .asString();
    String lateStart = ARCHIVED.get(2 * ARCHIVED.size() / 3).get("status").get("startedAt")
        .asString();
    Map<String, String> q = new LinkedHashMap<>();
    q.put("everything", "");
    q.put("namespace", "namespace=" + HttpTestClient.enc(prefix + "-ml"));
    q.put("namespace by field selector", fs("metadata.namespace=" + prefix + "-etl"));
    q.put("namePrefix", "namePrefix=" + HttpTestClient.enc("dag-"));
    q.put("name exact", fs("metadata.name=" + sampleName));
    q.put("name exact ==", fs("metadata.name==" + sampleName));
    q.put("name exact, namespace", "namespace=" + HttpTestClient.enc(sampleNs) + "&"
        + fs("metadata.name=" + sampleName));
    q.put("nameFilter=Exact", fs("metadata.name=" + sampleName) + "&nameFilter=Exact");
    q.put("nameFilter=Prefix", fs("metadata.name=pipeline") + "&nameFilter=Prefix");
    q.put("nameFilter=Contains", fs("metadata.name=flip") + "&nameFilter=Contains");
    q.put("nameFilter=Contains, other case", fs("metadata.name=daily") + "&nameFilter=Contains");
    q.put("label =", ls("team=search"));
    q.put("label ==", ls("team==payments"));
    q.put("label !=", ls("team!=search"));
    q.put("label in", ls("team in (search,growth)"));
    q.put("label notin", ls("team notin (search,growth)"));
    q.put("label exists", ls("cost-center"));
    q.put("label does not exist", ls("!team"));
    q.put("label >", ls("shard>6"));
    q.put("label <", ls("shard<3"));
    q.put("label phase in", ls(WorkflowLabels.PHASE + " in (Failed,Error)"));
    q.put("labels combined", ls("team in (search,payments),shard>2,!cost-center"));
    q.put("labels and namespace", "namespace=" + HttpTestClient.enc(prefix + "-ci") + "&"
        + ls("team!=growth"));
    q.put("startedAt after", fs("spec.startedAt>" + midStart));
    q.put("startedAt before", fs("spec.startedAt<" + lateStart));
    q.put("startedAt window", fs("spec.startedAt>" + midStart + ",spec.startedAt<" + lateStart));
    q.put("nothing matches", ls("team=nobody"));
    return q;
  }

  private static String fs(String selector) {
    return "listOptions.fieldSelector=" + HttpTestClient.enc(selector);
  }

  private static String ls(String selector) {
    return "listOptions.labelSelector=" + HttpTestClient.enc(selector);
  }

  private static void compareList(String name, String query, List<String> problems) {
    List<List<JsonNode>> argoPages;
    List<List<JsonNode>> ourPages;
    try {
      argoPages = pages(argoHttp, query);
      ourPages = pages(archivistHttp, query);
    } catch (AssertionError e) {
      problems.add(name + ": " + e.getMessage());
      return;
    }
    List<JsonNode> a = argoPages.stream().flatMap(List::stream).collect(Collectors.toList());
    List<JsonNode> b = ourPages.stream().flatMap(List::stream).collect(Collectors.toList());
    compareItems(name + " [" + query + "]", a, b, problems);
    List<Integer> argoSizes = argoPages.stream().map(List::size).collect(Collectors.toList());
    List<Integer> ourSizes = ourPages.stream().map(List::size).collect(Collectors.toList());
    if (!argoSizes.equals(ourSizes)) {
      problems.add(name + ": page sizes differ: argo " + argoSizes + " archivist " + ourSizes);
    } else {
      for (int i = 0; i < argoPages.size(); i++) {
        List<String> pa = argoPages.get(i).stream().map(ArgoServerInteropContract::uid)
            .collect(Collectors.toList());
        List<String> pb = ourPages.get(i).stream().map(ArgoServerInteropContract::uid)
            .collect(Collectors.toList());
        if (!pa.equals(pb)) {
          problems.add(name + ": page " + (i + 1) + " differs: argo " + pa + " archivist " + pb);
        }
      }
    }
  }

  /** Items compared by uid: each once on each side, the same uids, the same fields. */
  private static void compareItems(String name, List<JsonNode> argoItems,
      List<JsonNode> ourItems, List<String> problems) {
    Map<String, JsonNode> a = byUid(name, "argo", argoItems, problems);
    Map<String, JsonNode> b = byUid(name, "archivist", ourItems, problems);
    if (!a.keySet().equals(b.keySet())) {
      Set<String> onlyArgo = new TreeSet<>(a.keySet());
      onlyArgo.removeAll(b.keySet());
      Set<String> onlyOurs = new TreeSet<>(b.keySet());
      onlyOurs.removeAll(a.keySet());
      problems.add(name + ": only argo has " + describe(onlyArgo) + "; only archivist has "
          + describe(onlyOurs));
    }
    for (Map.Entry<String, JsonNode> e : a.entrySet()) {
      JsonNode ours = b.get(e.getKey());
      if (ours == null) {
        continue;
      }
      for (String d : JsonDiff.diff(e.getValue(), ours)) {
        if (!allowed(d, ALLOWED_LIST_DIFFERENCES)) {
          problems.add(name + ": " + nameOf(e.getKey()) + ": " + d);
        }
      }
    }
  }

  private static Map<String, JsonNode> byUid(String name, String side, List<JsonNode> items,
      List<String> problems) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (JsonNode item : items) {
      if (out.put(uid(item), item) != null) {
        problems.add(name + ": " + side + " lists " + nameOf(uid(item)) + " more than once");
      }
    }
    return out;
  }

  /** Every page of {@code query}, following {@code metadata.continue}. */
  private static List<List<JsonNode>> pages(HttpTestClient http, String query) {
    List<List<JsonNode>> out = new ArrayList<>();
    String cont = "";
    for (int i = 0; i < 100; i++) {
      String q = (query.isEmpty() ? "" : query + "&") + "listOptions.limit=" + PAGE
          + (cont.isEmpty() ? "" : "&listOptions.continue=" + HttpTestClient.enc(cont));
      JsonNode page = http.getJson(LIST + "?" + q);
      List<JsonNode> items = new ArrayList<>();
      page.path("items").forEach(items::add);
      out.add(items);
      cont = page.path("metadata").path("continue").asString("");
      if (cont.isEmpty()) {
        return out;
      }
    }
    throw new AssertionError(http + " gave more than 100 pages for " + query);
  }

  private static List<JsonNode> pageAll(HttpTestClient http, String query) {
    return pages(http, query).stream().flatMap(List::stream).collect(Collectors.toList());
  }

  private static boolean allowed(String difference, Map<String, String> allowed) {
    for (String path : allowed.keySet()) {
      if (difference.startsWith(path + ":") || difference.startsWith(path + ".")
          || difference.startsWith(path + "[")) {
        return true;
      }
    }
    return false;
  }

  // --- set-up helpers ---------------------------------------------------------------------------

  /**
   * Three live workflows for the unified list: one running (never archived), two completed and
   * archived, of which the caller marks one {@code Archived}. Returns the two completed ones as
   * the API server holds them (with the uids it gave them), to be archived.
   */
  private static List<ObjectNode> createLiveWorkflows(KubernetesClient client, String ns) {
    Instant started = InteropWorkflows.BASE.minus(Duration.ofHours(1));
    ObjectNode running = liveWorkflow(ns, "live-running", "Running", started, null);
    liveRunningName = "live-running";
    kube.createWorkflow(running);
    List<ObjectNode> out = new ArrayList<>();
    int i = 0;
    for (String name : List.of("live-archived", "live-unmarked")) {
      Instant s = started.plus(Duration.ofMinutes(++i));
      GenericKubernetesResource created = kube.createWorkflow(
          liveWorkflow(ns, name, "Succeeded", s, s.plusSeconds(20)));
      ObjectNode wf = (ObjectNode) InteropWorkflows.JSON.valueToTree(created);
      ((ObjectNode) wf.get("metadata")).remove("managedFields");
      out.add(wf);
    }
    liveArchivedUid = uidOf(out.get(0));
    liveUnmarkedUid = uidOf(out.get(1));
    return out;
  }

  private static ObjectNode liveWorkflow(String ns, String name, String phase, Instant started,
      Instant finished) {
    WorkflowBuilder wf = WorkflowBuilder.workflow(ns, name).phase(phase).image("alpine:3.23")
        .startedAt(started);
    if (finished != null) {
      wf.completed(true).finishedAt(finished).progress("1/1");
    }
    return wf.build();
  }

  private static void archive(ArchiveStore store, List<ObjectNode> workflows) {
    List<WorkflowDocument> docs = new ArrayList<>();
    for (ObjectNode wf : workflows) {
      docs.add(WorkflowDocuments.fromWorkflow(wf, InteropWorkflows.BASE));
    }
    BatchResult result = store.archive(docs);
    for (BatchResult.RowOutcome outcome : result.outcomes()) {
      if (!(outcome instanceof BatchResult.Written)) {
        throw new AssertionError("archiving the interop workflows failed: " + outcome);
      }
    }
  }

  /**
   * Archives workflows whose nodes Argo moved out (compressed, offloaded) as Archivist's
   * controller does: nodes restored first, then written. Replaces each in {@code workflows} with
   * the restored one, which is what both servers must then serve.
   */
  private static void archiveRestoringNodes(ArchiveStore store, List<ObjectNode> workflows) {
    List<NodeRestoration> restored = store.nodeRestorer(ArgoNodesConfig.defaults())
        .restore(workflows);
    for (int i = 0; i < workflows.size(); i++) {
      if (!(restored.get(i) instanceof NodeRestoration.Restored r)) {
        throw new AssertionError("nodes of " + describe(workflows.get(i)) + " not restored: "
            + restored.get(i));
      }
      workflows.set(i, (ObjectNode) r.workflow());
    }
    archive(store, workflows);
  }

  /** The compressed and the offloaded workflow come back from Argo Server with all nodes. */
  @Test
  void get_compressedAndOffloadedWorkflows_haveTheirNodesInArgoServer() {
    for (ObjectNode wf : ARCHIVED) {
      String name = wf.get("metadata").get("name").asString();
      if (!name.startsWith("moved-nodes-")) {
        continue;
      }
      JsonNode fromArgo = argoHttp.getJson(LIST + "/" + uidOf(wf));
      assertThat(fromArgo.at("/status/nodes").size()).as(name)
          .isEqualTo(InteropWorkflows.MOVED_NODES);
      assertThat(fromArgo.at("/status/compressedNodes").isMissingNode()).as(name).isTrue();
      assertThat(fromArgo.at("/status/offloadNodeStatusVersion").isMissingNode()).as(name)
          .isTrue();
    }
  }

  // --- small helpers ----------------------------------------------------------------------------

  private static String uid(JsonNode item) {
    return item.path("metadata").path("uid").asString();
  }

  private static String uidOf(ObjectNode wf) {
    return wf.get("metadata").get("uid").asString();
  }

  private static String nameOf(String uid) {
    for (ObjectNode wf : ARCHIVED) {
      if (uidOf(wf).equals(uid)) {
        return wf.get("metadata").get("name").asString();
      }
    }
    return uid;
  }

  private static String describe(ObjectNode wf) {
    return wf.get("metadata").get("namespace").asString() + "/"
        + wf.get("metadata").get("name").asString();
  }

  private static String describe(Set<String> uids) {
    return uids.stream().map(ArgoServerInteropContract::nameOf).collect(Collectors.toList())
        .toString();
  }

  private static List<String> uids(JsonNode page) {
    List<String> out = new ArrayList<>();
    page.path("items").forEach(item -> out.add(uid(item)));
    return out;
  }

  private static List<String> names(JsonNode page) {
    List<String> out = new ArrayList<>();
    page.path("items").forEach(item -> out.add(item.path("metadata").path("name").asString()));
    return out;
  }

  private static List<String> items(JsonNode answer) {
    List<String> out = new ArrayList<>();
    answer.path("items").forEach(item -> out.add(item.asString()));
    return out;
  }
}
