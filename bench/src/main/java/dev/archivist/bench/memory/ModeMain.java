package dev.archivist.bench.memory;

import dev.archivist.store.ArchiveStore;
import dev.archivist.store.StoreConfig;
import dev.archivist.workqueue.TokenBucket;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The measured JVM: runs one design under test against the mock API server and PostgreSQL, with
 * {@link HeapSampler} reporting its live heap every second. The orchestrator starts it with the
 * same {@code -Xmx} and flags for every mode, and {@code -XX:+ExitOnOutOfMemoryError}, so an
 * out-of-memory ends the process at once rather than leaving it half alive.
 *
 * <p>Protocol: prints {@code @@READY} once the informers have synced, {@code @@SAMPLE ...} every
 * second; stops on {@code STOP} or when stdin closes.
 *
 * <p>Arguments: {@code mode kubeconfig jdbcUrl archiveQps workers batchSize kubeQps kubeBurst}.
 */
public final class ModeMain {
  private ModeMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 8) {
      System.err.println("usage: ModeMain mode kubeconfig jdbcUrl archiveQps workers batchSize"
          + " kubeQps kubeBurst");
      System.exit(2);
    }
    Mode mode = Mode.parse(args[0]);
    Path kubeconfig = Path.of(args[1]);
    String jdbcUrl = args[2];
    double archiveQps = Double.parseDouble(args[3]);
    int workers = Integer.parseInt(args[4]);
    int batchSize = Integer.parseInt(args[5]);
    double kubeQps = Double.parseDouble(args[6]);
    int kubeBurst = Integer.parseInt(args[7]);

    ArchiverUnderTest[] underTest = new ArchiverUnderTest[1];
    HeapSampler.start(() -> underTest[0] == null ? 0 : underTest[0].archived(),
        () -> underTest[0] == null ? -1 : underTest[0].pendingEvents());

    ArchiveStore store = ArchiveStore.open(StoreConfig.of(jdbcUrl, null, null));
    store.migrate();
    KubernetesClient client = ModeClients.create(kubeconfig, kubeQps, kubeBurst,
        Duration.ofSeconds(30));
    Clock clock = Clock.systemUTC();
    int burst = (int) Math.max(1, Math.ceil(archiveQps));
    underTest[0] = switch (mode) {
      case NAIVE -> new NaiveArchiver(client, TokenBucket.create(archiveQps, burst),
          new ArchiveWriter(client, store, clock));
      case ARGO -> new ArgoArchiver(client, TokenBucket.create(archiveQps, burst),
          new ArchiveWriter(client, store, clock), workers, batchSize);
      case ARCHIVIST -> ArchivistRunner.create(client, store, archiveQps, workers, batchSize,
          clock);
    };
    underTest[0].start();
    Protocol.emit("READY");

    BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
        StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null && !line.equals("STOP")) {
      // only STOP (or the end of stdin) matters
    }
    underTest[0].close();
    client.close();
    store.close();
    Runtime.getRuntime().halt(0);
  }
}
