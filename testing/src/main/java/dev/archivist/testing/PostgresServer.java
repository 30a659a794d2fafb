package dev.archivist.testing;

import dev.archivist.core.Redaction;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL server of this JVM's tests: the one {@value #ENV} names, else one embedded
 * (zonky) server started on first use and stopped by zonky's shutdown hook.
 *
 * <p>Thread-safety: {@link #get()} is synchronized on the class; the chosen server is immutable.
 */
final class PostgresServer extends DatabaseServer {
  static final String ENV = "ARCHIVIST_TEST_POSTGRES_URL";

  private static PostgresServer instance; // guarded by PostgresServer.class
  private static String unavailable; // guarded by PostgresServer.class; why there is none

  private final String adminUrl;
  @SuppressWarnings("unused") // keeps the embedded server reachable for the JVM's life
  private final EmbeddedPostgres embedded;

  private PostgresServer(String adminUrl, String origin, EmbeddedPostgres embedded) {
    super(adminUrl, "PostgreSQL (" + origin + ", " + Redaction.url(adminUrl) + ")",
        "SELECT nspname FROM pg_namespace WHERE nspname LIKE 't\\_%'",
        name -> "CREATE SCHEMA \"" + name + "\"",
        name -> "DROP SCHEMA IF EXISTS \"" + name + "\" CASCADE");
    this.adminUrl = adminUrl;
    this.embedded = embedded;
  }

  /** Why there is no server: set once the embedded one failed to start, else null. */
  static synchronized String unavailableReason() {
    return unavailable;
  }

  static synchronized PostgresServer get() {
    if (instance != null) {
      return instance;
    }
    Assumptions.assumeTrue(unavailable == null, () -> unavailable);
    String url = System.getenv(ENV);
    if (url != null && !url.isBlank()) {
      instance = new PostgresServer(url.trim(), ENV, null);
      return instance;
    }
    try {
      instance = startEmbedded();
      return instance;
    } catch (IOException | RuntimeException e) {
      unavailable = ENV + " is unset and the embedded PostgreSQL (zonky) did not start: " + e
          + (isRoot() && !hasUnshare()
              ? " (running as root, where initdb refuses to run, and 'unshare -U' is missing)"
              : "")
          + "; set " + ENV + " to a jdbc:postgresql URL to run these tests";
      Assumptions.abort(unavailable);
      throw new AssertionError("unreachable");
    }
  }

  /**
   * Zonky runs initdb and pg_ctl under {@code unshare -U} by itself when it sees uid 0 and a
   * working {@code unshare}: in the new user namespace the process is uid 65534 ("nobody") and
   * root's files show as owned by it, which satisfies both initdb's "not as root" check and the
   * server's data-directory ownership check.
   */
  private static PostgresServer startEmbedded() throws IOException {
    EmbeddedPostgres pg = EmbeddedPostgres.builder()
        .setServerConfig("fsync", "off")
        .setServerConfig("synchronous_commit", "off")
        .setServerConfig("full_page_writes", "off")
        .setServerConfig("max_connections", "100")
        .start();
    String url = pg.getJdbcUrl("postgres", "postgres");
    return new PostgresServer(url, "embedded PostgreSQL on port " + pg.getPort(), pg);
  }

  private static boolean isRoot() {
    try {
      return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  private static boolean hasUnshare() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, "unshare"))) {
        return true;
      }
    }
    return false;
  }

  @Override
  TestDatabase database(String name) {
    return new TestDatabase("postgresql", JdbcUrls.withParameter(adminUrl, "currentSchema", name),
        name);
  }
}
