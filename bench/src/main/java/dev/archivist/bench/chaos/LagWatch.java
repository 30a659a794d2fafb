package dev.archivist.bench.chaos;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The archive lag as the database shows it, once a second: the age of the oldest completed
 * stream workflow whose row is not there yet (0 when none is waiting). It asks the database
 * which of the waiting uids have rows, so it never reads Archivist's counters; while the
 * database is down, nothing can be archived, and the lag keeps growing from the last answer.
 *
 * <p>Threads: one daemon thread polls; {@link #samples()} and {@link #lagSeconds()} may be read
 * from any thread.
 */
final class LagWatch implements AutoCloseable {
  /** One reading: seconds since the campaign started, the lag, and the stream workflows waiting. */
  record Sample(double at, double lagSeconds, int waiting) {}

  private final Ledger ledger;
  private final String url;
  private final String table;
  private final long origin;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
  private final Thread thread;
  private volatile boolean closed;
  private volatile double lag;
  private Connection connection; // the poller thread's only

  LagWatch(Ledger ledger, String url, String clusterName, long origin) {
    this.ledger = ledger;
    this.url = url;
    this.table = "argo_archived_workflows";
    this.origin = origin;
    this.thread = new Thread(() -> loop(clusterName), "chaos-lag");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop(String clusterName) {
    while (!closed) {
      long now = System.nanoTime();
      List<Ledger.Entry> waiting = new ArrayList<>();
      for (Ledger.Entry e : ledger.entries()) {
        if (e.lagTracked() && !seen.contains(e.uid())) {
          waiting.add(e);
        }
      }
      try {
        for (int from = 0; from < waiting.size(); from += 500) {
          List<Ledger.Entry> chunk = waiting.subList(from, Math.min(waiting.size(), from + 500));
          for (String uid : archived(clusterName, chunk)) {
            seen.add(uid);
          }
        }
      } catch (SQLException e) {
        closeConnection(); // down or restarted: reconnect next time
      }
      long oldest = Long.MAX_VALUE;
      int left = 0;
      for (Ledger.Entry e : waiting) {
        if (!seen.contains(e.uid())) {
          left++;
          oldest = Math.min(oldest, e.completedNanos());
        }
      }
      lag = left == 0 ? 0 : (now - oldest) / 1e9;
      samples.add(new Sample((now - origin) / 1e9, lag, left));
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private List<String> archived(String clusterName, List<Ledger.Entry> chunk)
      throws SQLException {
    if (chunk.isEmpty()) {
      return List.of();
    }
    if (connection == null) {
      connection = DriverManager.getConnection(url);
    }
    StringBuilder sql = new StringBuilder("select uid from " + table
        + " where clustername = ? and uid in (");
    for (int i = 0; i < chunk.size(); i++) {
      sql.append(i == 0 ? "?" : ",?");
    }
    sql.append(')');
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = connection.prepareStatement(sql.toString())) {
      ps.setQueryTimeout(10);
      ps.setString(1, clusterName);
      for (int i = 0; i < chunk.size(); i++) {
        ps.setString(i + 2, chunk.get(i).uid());
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    } catch (SQLException e) {
      if ("42P01".equals(e.getSQLState()) || e.getErrorCode() == 1146) {
        return List.of(); // not migrated yet
      }
      throw e;
    }
    return out;
  }

  private void closeConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // it is broken already
      }
      connection = null;
    }
  }

  double lagSeconds() {
    return lag;
  }

  List<Sample> samples() {
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  /**
   * Seconds from {@code fromAt} (campaign seconds) until the first reading at or after it with
   * a lag under {@code bound}; -1 if there is none yet.
   */
  double recovery(double fromAt, double bound) {
    for (Sample s : samples()) {
      if (s.at() >= fromAt && s.lagSeconds() < bound) {
        return s.at() - fromAt;
      }
    }
    return -1;
  }

  /** The largest lag read between two campaign times. */
  double peak(double fromAt, double toAt) {
    double peak = 0;
    for (Sample s : samples()) {
      if (s.at() >= fromAt && s.at() <= toAt) {
        peak = Math.max(peak, s.lagSeconds());
      }
    }
    return peak;
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeConnection();
  }
}
