package dev.archivist.bench.chaos;

import dev.archivist.testing.FreePorts;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the campaign's own (zonky's embedded binaries, its data folder under the
 * campaign's output, a port of its own), so that stopping the database stops no one else's. The
 * outage is the real thing: {@code pg_ctl stop -m fast}, which ends every session, and a start on
 * the same port and data.
 *
 * <p>Thread-safety: stop and start are synchronized; the campaign calls them from one thread.
 */
final class PrivatePostgres implements ChaosDatabase {
  private final Path dataDir;
  private final int port;
  private EmbeddedPostgres server; // guarded by this; null while stopped

  private PrivatePostgres(Path dataDir, int port) {
    this.dataDir = dataDir;
    this.port = port;
  }

  static PrivatePostgres start(Path dataDir) {
    delete(dataDir);
    PrivatePostgres pg = new PrivatePostgres(dataDir, FreePorts.loopback());
    pg.start();
    return pg;
  }

  @Override
  public String url() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
  }

  @Override
  public InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", port);
  }

  @Override
  public boolean mysql() {
    return false;
  }

  @Override
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException("could not stop the private PostgreSQL on port " + port, e);
    } finally {
      server = null;
    }
  }

  @Override
  public synchronized void start() {
    if (server != null) {
      return;
    }
    try {
      server = EmbeddedPostgres.builder()
          .setPgBinaryResolver(PrivatePostgres::firstBinaryOnTheClassPath)
          .setPort(port)
          .setDataDirectory(dataDir)
          .setCleanDataDirectory(false)
          .setServerConfig("fsync", "off")
          .setServerConfig("synchronous_commit", "off")
          .setServerConfig("full_page_writes", "off")
          .setServerConfig("max_connections", "100")
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the private PostgreSQL on port " + port
          + " with data in " + dataDir, e);
    }
  }

  /**
   * The PostgreSQL archive for this machine, the first on the class path. Where the bench runs
   * beside the packaged {@code archivist} jar, which bundles the same archive, the library's own
   * lookup finds two copies and refuses both.
   */
  private static InputStream firstBinaryOnTheClassPath(String system, String hardware)
      throws IOException {
    String arch = hardware.equals("amd64") ? "x86_64" : hardware;
    String name = "postgres-" + system.toLowerCase(Locale.ROOT) + "-" + arch + ".txz";
    InputStream in = PrivatePostgres.class.getClassLoader().getResourceAsStream(name);
    if (in == null) {
      throw new IOException("no embedded PostgreSQL for " + system + " " + hardware
          + " on the class path (looked for " + name + ")");
    }
    return in;
  }

  @Override
  public String outageKind() {
    return "private PostgreSQL stopped (pg_ctl stop -m fast) and started again";
  }

  @Override
  public synchronized void close() {
    stop();
    delete(dataDir);
  }

  private static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not remove " + dir, e);
    }
  }
}
