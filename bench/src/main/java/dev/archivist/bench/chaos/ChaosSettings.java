package dev.archivist.bench.chaos;

import java.nio.file.Path;

/**
 * What one campaign does.
 *
 * @param runId names the run's workflows and labels them, so runs never see each other's
 * @param workflows the stream runs until at least this many were made and every fault is done
 * @param rate stream workflows created (and completed a second later) per second
 * @param minSize smallest stream workflow, bytes
 * @param maxSize largest stream workflow, bytes
 * @param compressedEvery every n-th stream workflow completes with compressed nodes; 0 never
 * @param queueCapacity Archivist's {@code --queue-capacity}; the burst is ten times it
 * @param dbOutageSeconds how long the database is stopped
 * @param slowSeconds how long the database is slowed
 * @param slowOneWayMillis the relay's delay each way while slowed
 * @param apiDownSeconds how long the API server stays killed
 * @param leaderKills leader kills, spread over the campaign
 * @param finalizer run Archivist with {@code --finalizer}
 * @param heap each replica's {@code -Xmx}
 * @param heapBoundMiB the live heap (after a full GC) no replica may exceed
 * @param heapDumpOverMiB a replica's live heap above this writes a heap dump at each new peak
 *     into {@code out}; 0 never
 * @param httpPort the first replica's HTTP port; the second takes the next
 * @param settleSeconds after a fault, the longest wait for the lag to fall under 10 s
 * @param drainSeconds at the end, the longest wait for every workflow to be accounted for
 * @param pokes workflows in each of the delete-and-recreate and retry faults
 * @param out where the logs go
 */
public record ChaosSettings(String runId, int workflows, double rate, int minSize, int maxSize,
    int compressedEvery, int queueCapacity, int dbOutageSeconds, int slowSeconds,
    int slowOneWayMillis, int apiDownSeconds, int leaderKills, boolean finalizer, String heap,
    int heapBoundMiB, int heapDumpOverMiB, int httpPort, int settleSeconds, int drainSeconds,
    int pokes, Path out) {
  /** Archivist's {@code --cluster-name} in the campaign, so rows are told from any others. */
  public static final String CLUSTER = "chaos";
}
