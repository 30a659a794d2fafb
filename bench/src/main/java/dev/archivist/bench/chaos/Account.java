package dev.archivist.bench.chaos;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The account at the end of a campaign, from the records of the API server (what is left of the
 * run's workflows) and of the database (the archive's rows and the quarantine log), checked
 * against the campaign's {@link Ledger}: every workflow archived exactly once with its final
 * state, every poison one quarantined with a reason and listed by {@code archivist quarantine},
 * nothing left with our finalizer, and the heap under its bound. Archivist's own counters are not
 * read.
 */
public final class Account {
  private final Ledger ledger;
  private final ChaosDatabase db;
  private final KubeWorkflows kube;
  private final ChaosSettings s;
  private final Replicas replicas;
  private final Map<String, Object> report = new LinkedHashMap<>();
  private final List<String> failures = new ArrayList<>();
  private List<Map<String, Object>> faults = List.of();

  Account(Ledger ledger, ChaosDatabase db, KubeWorkflows kube, ChaosSettings s,
      Replicas replicas) {
    this.ledger = ledger;
    this.db = db;
    this.kube = kube;
    this.s = s;
    this.replicas = replicas;
  }

  /** One archived row, as the database holds it. */
  private record Row(String uid, String name, String namespace, String phase, String marker,
      boolean nodes, boolean compressedLeft) {}

  /** Waits until every workflow is accounted for (or the time is up). */
  void drain(int seconds) {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      try {
        Set<String> rows = rows().keySet();
        Set<String> quarantined = quarantine().keySet();
        long waiting = ledger.entries().stream().filter(e -> switch (e.expect()) {
          case ARCHIVED -> !rows.contains(e.uid());
          case QUARANTINED -> !quarantined.contains(e.uid()) && !rows.contains(e.uid());
          case MAY_BE_ARCHIVED -> false;
        }).count();
        long left = kube.listRun(s.runId()).stream()
            .filter(w -> tracked(w) && !quarantined.contains(w.getMetadata().getUid())).count();
        ChaosCampaign.log("drain: %d workflows not yet archived or quarantined, %d not yet"
            + " deleted", waiting, left);
        if (waiting == 0 && left == 0) {
          return;
        }
      } catch (SQLException | RuntimeException e) {
        ChaosCampaign.log("drain: %s", e);
      }
      ChaosCampaign.pause(5);
    }
  }

  /** Draws up the account; call once, after {@link #drain}. */
  void settle(List<Map<String, Object>> faults, Map<String, Object> figures,
      List<LagWatch.Sample> samples) throws SQLException, IOException {
    this.faults = List.copyOf(faults);
    Map<String, Row> rows = rows();
    Map<String, String> quarantine = quarantine();
    // What the API server still holds of the run.
    List<GenericKubernetesResource> left = kube.listRun(s.runId());
    Set<String> inCluster = new HashSet<>();
    left.forEach(w -> inCluster.add(w.getMetadata().getUid()));
    List<String> notYet = new ArrayList<>();
    long duplicates = duplicateRows();
    List<String> lost = new ArrayList<>();
    List<String> wrongState = new ArrayList<>();
    List<String> notQuarantined = new ArrayList<>();
    Map<String, Object> poison = new LinkedHashMap<>();
    int archived = 0;
    int mayBe = 0;
    int mayBeArchived = 0;
    for (Ledger.Entry e : ledger.entries()) {
      Row r = rows.get(e.uid());
      String id = e.namespace() + "/" + e.name() + " (" + e.kind() + ", uid " + e.uid() + ")";
      switch (e.expect()) {
        case ARCHIVED -> {
          if (r == null && inCluster.contains(e.uid())) {
            notYet.add(id); // still there: late, not lost
          } else if (r == null) {
            lost.add(id);
          } else {
            archived++;
            String wrong = wrong(e, r);
            if (wrong != null) {
              wrongState.add(id + ": " + wrong);
            }
          }
        }
        case MAY_BE_ARCHIVED -> {
          mayBe++;
          if (r != null) {
            mayBeArchived++;
            String wrong = wrong(e, r);
            if (wrong != null) {
              wrongState.add(id + ": " + wrong);
            }
          }
        }
        case QUARANTINED -> {
          String reason = quarantine.get(e.uid());
          Map<String, Object> p = new LinkedHashMap<>();
          p.put("archived", r != null);
          p.put("quarantined", reason != null);
          p.put("reason", reason);
          poison.put(e.kind(), p);
          if (reason == null || reason.isBlank()) {
            notQuarantined.add(id + (r != null ? ": archived instead" : ": neither archived nor"
                + " quarantined"));
          }
        }
        default -> throw new IllegalStateException("unknown expectation " + e.expect());
      }
    }
    for (Ledger.Entry e : ledger.entries()) {
      if (e.kind().startsWith("poison-") && e.expect() != Ledger.Expect.QUARANTINED) {
        Row r = rows.get(e.uid());
        poison.put(e.kind(), Map.of("archived", r != null, "quarantined",
            quarantine.containsKey(e.uid())));
      }
    }
    Set<String> known = new HashSet<>();
    ledger.entries().forEach(e -> known.add(e.uid()));
    List<String> unknown = rows.keySet().stream().filter(u -> !known.contains(u)).toList();

    // What the `archivist quarantine` command lists.
    String cli = quarantineCli();
    List<String> notListed = new ArrayList<>();
    for (Ledger.Entry e : ledger.entries()) {
      if (e.expect() == Ledger.Expect.QUARANTINED && quarantine.containsKey(e.uid())
          && !cli.contains(e.uid())) {
        notListed.add(e.namespace() + "/" + e.name());
      }
    }

    List<String> leftOver = new ArrayList<>();
    List<String> ourFinalizer = new ArrayList<>();
    int neverCompleted = 0;
    for (GenericKubernetesResource w : left) {
      if (!tracked(w)) {
        neverCompleted++; // the stream could not complete it; nothing to archive
        continue;
      }
      String uid = w.getMetadata().getUid();
      boolean expected = quarantine.containsKey(uid);
      String id = w.getMetadata().getNamespace() + "/" + w.getMetadata().getName();
      if (!expected && rows.containsKey(uid)) {
        leftOver.add(id); // archived, so --delete-after should have deleted it
      }
      List<String> fins = w.getMetadata().getFinalizers();
      if (!expected && fins != null && fins.stream().anyMatch(f -> f.contains("archivist"))) {
        ourFinalizer.add(id + " " + fins);
      }
    }

    long peak = replicas.peakHeap();
    boolean heapOk = peak <= s.heapBoundMiB() * 1048576L && !replicas.outOfMemory();

    Map<String, Object> a = new LinkedHashMap<>();
    a.put("workflows_made", ledger.size());
    a.put("expected_archived", ledger.entries().stream()
        .filter(e -> e.expect() == Ledger.Expect.ARCHIVED).count());
    a.put("archived_as_expected", archived);
    a.put("lost", lost.size());
    a.put("lost_workflows", head(lost));
    a.put("not_archived_by_the_end_still_in_cluster", notYet.size());
    a.put("not_archived_by_the_end_workflows", head(notYet));
    a.put("duplicated_rows", duplicates);
    a.put("rows_of_unknown_uids", unknown.size());
    a.put("wrong_final_state", wrongState.size());
    a.put("wrong_final_state_workflows", head(wrongState));
    a.put("deleted_before_archiving", mayBe);
    a.put("deleted_before_archiving_but_archived", mayBeArchived);
    a.put("poison", poison);
    a.put("poison_refused_by_api_server", ledger.refusedByApiServer());
    a.put("poison_not_quarantined", head(notQuarantined));
    a.put("quarantined_not_listed_by_cli", notListed);
    a.put("archived_but_left_in_cluster", leftOver.size());
    a.put("left_running_never_completed_by_the_stream", neverCompleted);
    a.put("archived_but_left_in_cluster_workflows", head(leftOver));
    a.put("finalizer", s.finalizer());
    a.put("left_with_our_finalizer", head(ourFinalizer));
    a.put("peak_live_heap_mib", ChaosCampaign.round(peak / 1048576.0));
    a.put("heap_bound_mib", s.heapBoundMiB());
    a.put("heap_limit", s.heap());
    a.put("out_of_memory", replicas.outOfMemory());

    if (!lost.isEmpty()) {
      failures.add(lost.size() + " lost");
    }
    if (!notYet.isEmpty()) {
      failures.add(notYet.size() + " not archived by the end of the drain (still in the cluster)");
    }
    if (duplicates > 0 || !unknown.isEmpty()) {
      failures.add(duplicates + " duplicated rows, " + unknown.size() + " rows of unknown uids");
    }
    if (!wrongState.isEmpty()) {
      failures.add(wrongState.size() + " archived with a state that is not their last");
    }
    if (!notQuarantined.isEmpty() || !notListed.isEmpty()) {
      failures.add(notQuarantined.size() + " poison workflows not quarantined, "
          + notListed.size() + " not listed by archivist quarantine");
    }
    if (!ourFinalizer.isEmpty()) {
      failures.add(ourFinalizer.size() + " workflows left with our finalizer");
    }
    if (!leftOver.isEmpty()) {
      failures.add(leftOver.size() + " archived workflows not deleted by --delete-after");
    }
    if (!heapOk) {
      failures.add("live heap " + a.get("peak_live_heap_mib") + " MiB over the bound of "
          + s.heapBoundMiB() + " MiB, or out of memory");
    }
    // A figure, not a failure: how fast it catches up depends on the machine.
    List<Object> slow = new ArrayList<>();
    for (Map<String, Object> f : faults) {
      if (f.get("seconds_until_lag_under_10s") == null) {
        slow.add(f.get("fault"));
      }
    }
    a.put("lag_not_under_10s_within_settle_after", slow);
    report.put("ok", failures.isEmpty());
    report.put("failures", failures);
    report.put("account", a);
    report.put("faults", faults);
    report.put("figures", figures);
    List<Map<String, Object>> lag = new ArrayList<>();
    for (LagWatch.Sample x : samples) {
      lag.add(Map.of("t", ChaosCampaign.round(x.at()), "lag_s", ChaosCampaign.round(
          x.lagSeconds()), "waiting", x.waiting()));
    }
    report.put("lag_samples", lag);
  }

  /** Whether the ledger knows the workflow: the stream completed it, or a fault made it. */
  private boolean tracked(GenericKubernetesResource w) {
    return ledger.get(w.getMetadata().getUid()) != null;
  }

  private static List<String> head(List<String> items) {
    return items.size() <= 20 ? items : items.subList(0, 20);
  }

  private static String wrong(Ledger.Entry e, Row r) {
    if (!e.marker().equals(r.marker())) {
      return "stored marker " + r.marker() + ", last was " + e.marker();
    }
    if (!e.phase().equals(r.phase())) {
      return "stored phase " + r.phase() + ", last was " + e.phase();
    }
    if (e.kind().equals("compressed") && (!r.nodes() || r.compressedLeft())) {
      return "its compressed nodes were not restored";
    }
    return null;
  }

  public boolean ok() {
    return failures.isEmpty();
  }

  public List<String> failures() {
    return List.copyOf(failures);
  }

  public Map<String, Object> report() {
    return report;
  }

  @SuppressWarnings("unchecked")
  public String table() {
    StringBuilder sb = new StringBuilder();
    sb.append("| fault | start s | end s | peak lag s | s until lag < 10 s | notes |\n");
    sb.append("|---|---|---|---|---|---|\n");
    for (Map<String, Object> f : faults) {
      Map<String, Object> notes = new LinkedHashMap<>(f);
      for (String k : List.of("fault", "what", "start_s", "end_s", "start", "end",
          "peak_lag_s", "seconds_until_lag_under_10s")) {
        notes.remove(k);
      }
      sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |\n", f.get("fault"),
          f.get("start_s"), f.get("end_s"), f.get("peak_lag_s"),
          f.get("seconds_until_lag_under_10s"), notes.toString().replace('|', '/')));
    }
    sb.append("\n| account | value |\n|---|---|\n");
    Map<String, Object> a = (Map<String, Object>) report.get("account");
    for (var e : a.entrySet()) {
      sb.append("| ").append(e.getKey()).append(" | ")
          .append(String.valueOf(e.getValue()).replace('|', '/').replace('\n', ' '))
          .append(" |\n");
    }
    Map<String, Object> fig = (Map<String, Object>) report.get("figures");
    for (var e : fig.entrySet()) {
      sb.append("| ").append(e.getKey()).append(" | ")
          .append(String.valueOf(e.getValue()).replace('|', '/')).append(" |\n");
    }
    sb.append("\n").append(ok() ? "PASS" : "FAIL: " + String.join("; ", failures)).append('\n');
    return sb.toString();
  }

  // ---- the database's records ------------------------------------------------------------------

  private Map<String, Row> rows() throws SQLException {
    String sql = db.mysql()
        ? "select uid, name, namespace, phase, JSON_UNQUOTE(JSON_EXTRACT(workflow,"
            + " '$.metadata.annotations.\"" + ChaosWorkflows.FINAL + "\"')),"
            + " JSON_TYPE(JSON_EXTRACT(workflow, '$.status.nodes')) = 'OBJECT',"
            + " JSON_CONTAINS_PATH(workflow, 'one', '$.status.compressedNodes')"
            + " from argo_archived_workflows where clustername = ?"
        : "select uid, name, namespace, phase, workflow->'metadata'->'annotations'->>'"
            + ChaosWorkflows.FINAL + "', jsonb_typeof(workflow->'status'->'nodes') = 'object',"
            + " jsonb_exists(workflow->'status', 'compressedNodes')"
            + " from argo_archived_workflows where clustername = ?";
    Map<String, Row> out = new HashMap<>();
    try (Connection c = DriverManager.getConnection(db.url());
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, ChaosSettings.CLUSTER);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), new Row(rs.getString(1), rs.getString(2), rs.getString(3),
              rs.getString(4), rs.getString(5), rs.getBoolean(6), rs.getBoolean(7)));
        }
      }
    }
    return out;
  }

  private long duplicateRows() throws SQLException {
    try (Connection c = DriverManager.getConnection(db.url());
        PreparedStatement ps = c.prepareStatement("select count(*) - count(distinct uid) from"
            + " argo_archived_workflows where clustername = ?")) {
      ps.setString(1, ChaosSettings.CLUSTER);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Quarantined uids and their last error, from the quarantine log. */
  private Map<String, String> quarantine() throws SQLException {
    Map<String, String> out = new HashMap<>();
    try (Connection c = DriverManager.getConnection(db.url());
        PreparedStatement ps = c.prepareStatement("select uid, last_error from"
            + " archivist_quarantine where clustername = ?")) {
      ps.setString(1, ChaosSettings.CLUSTER);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getString(2));
        }
      }
    } catch (SQLException e) {
      if ("42P01".equals(e.getSQLState()) || e.getErrorCode() == 1146) {
        return out; // no table yet
      }
      throw e;
    }
    return out;
  }

  /** The output of {@code archivist quarantine --db ... -o json}, run as a user would. */
  private String quarantineCli() throws IOException {
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", System.getProperty("java.class.path"), "dev.archivist.app.Main",
        "quarantine", "--db", db.url(), "--cluster-name", ChaosSettings.CLUSTER, "-o", "json");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      p.waitFor(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return out;
  }
}
