package dev.archivist.app.db;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server of our own, for {@code run}, {@code serve} and {@code demo} when no
 * {@code --db} is given. Its data directory persists, so a second start reuses the archive.
 *
 * <p>The binaries are zonky's (from Maven Central, inside our jar). We extract and drive them
 * ourselves ({@code initdb}, {@code pg_ctl}) rather than through zonky's builder because
 * PostgreSQL refuses to run as root, which is how CI and many containers run us, and zonky has no
 * hook for that. As root we run each binary under {@code unshare -U}: in a fresh user namespace
 * without a uid mapping the process sees itself as the overflow uid, so PostgreSQL's "not root"
 * and data-directory-owner checks pass, while the kernel still sees uid 0 and file access works.
 * Not root, the same commands run directly.
 *
 * <p>The server listens on 127.0.0.1 on a free port, with no Unix socket, and trusts local
 * connections (user {@code postgres}, no password). {@code pg_ctl} starts it in its own session,
 * so a Ctrl-C on the terminal reaches our shutdown hook and not the database.
 *
 * <p>Not thread-safe for start; {@link #close()} may be called from any thread, more than once.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

  /** The superuser initdb creates; local connections are trusted. */
  public static final String USER = "postgres";
  private static final String DATABASE = "postgres";
  private static final long START_TIMEOUT_SECONDS = 60;

  private final Path pgData;
  private final Path binDir;
  private final Path logFile;
  private final boolean asRoot;
  private final int port;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedDatabase(Path pgData, Path binDir, Path logFile, boolean asRoot, int port) {
    this.pgData = pgData;
    this.binDir = binDir;
    this.logFile = logFile;
    this.asRoot = asRoot;
    this.port = port;
  }

  /**
   * Starts PostgreSQL over {@code dataDir/postgres}, creating it on first use, and waits until it
   * accepts connections. Binaries are extracted once under {@code dataDir/pg-bin}. The caller
   * must {@link #close()} it, which stops the server; a server left running by a killed process
   * is stopped and restarted.
   *
   * @throws EmbeddedDatabaseException saying what failed, with the tail of PostgreSQL's output
   */
  public static EmbeddedDatabase start(Path dataDir) {
    return start(dataDir, dataDir.toAbsolutePath().normalize().resolve("pg-bin"));
  }

  /** {@link #start(Path)} with the extracted binaries cached in {@code binCache}. */
  static EmbeddedDatabase start(Path dataDir, Path binCache) {
    Path dir = dataDir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(dir);
      Path pgData = dir.resolve("postgres");
      requireEmptyOrPostgres(pgData);
      boolean asRoot = isRoot();
      if (asRoot) {
        requireUnshare();
      }
      Path binDir = extractBinaries(binCache);
      Path logFile = dir.resolve("postgres.log");
      EmbeddedDatabase db = new EmbeddedDatabase(pgData, binDir, logFile, asRoot, freePort());
      db.initIfNeeded();
      db.stopLeftover();
      db.startServer();
      return db;
    } catch (IOException e) {
      throw new EmbeddedDatabaseException(
          "embedded PostgreSQL under " + dir + " could not start: " + e.getMessage(), e);
    }
  }

  /** A JDBC URL for the {@code postgres} database, user {@link #USER}, no password. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
  }

  public int port() {
    return port;
  }

  /** The data directory (PGDATA). */
  public Path dataDirectory() {
    return pgData;
  }

  /** Stops the server (fast shutdown: open sessions are ended). Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      Result r = run(List.of(pgCtl(), "-D", pgData.toString(), "-m", "fast", "-w", "-t", "30",
          "stop"));
      if (r.exitCode() != 0) {
        log.warn("embedded PostgreSQL on port {} did not stop cleanly (pg_ctl exit {}): {}",
            port, r.exitCode(), r.output().strip());
      }
    } catch (IOException e) {
      log.warn("embedded PostgreSQL on port {} could not be stopped: {}", port, e.getMessage());
    }
  }

  private static void requireEmptyOrPostgres(Path pgData) throws IOException {
    if (Files.exists(pgData.resolve("PG_VERSION")) || !Files.isDirectory(pgData)) {
      return;
    }
    try (var entries = Files.list(pgData)) {
      if (entries.findAny().isPresent()) {
        throw new EmbeddedDatabaseException(pgData + " exists, is not empty and holds no"
            + " PostgreSQL data (no PG_VERSION); move it away or choose another data"
            + " directory", null);
      }
    }
  }

  private void initIfNeeded() throws IOException {
    if (Files.exists(pgData.resolve("PG_VERSION"))) {
      return;
    }
    log.info("creating the embedded PostgreSQL data directory {}", pgData);
    Result r = run(List.of(binDir.resolve("bin/initdb").toString(), "-D", pgData.toString(),
        "-U", USER, "-A", "trust", "-E", "UTF8", "--no-locale"));
    if (r.exitCode() != 0) {
      throw new EmbeddedDatabaseException("initdb failed (exit " + r.exitCode() + ") for "
          + pgData + ": " + tail(r.output()), null);
    }
  }

  /** A server that a killed archivist left running holds the data directory; stop it. */
  private void stopLeftover() throws IOException {
    if (!Files.exists(pgData.resolve("postmaster.pid"))) {
      return;
    }
    Result status = run(List.of(pgCtl(), "-D", pgData.toString(), "status"));
    if (status.exitCode() == 0) {
      log.info("stopping an embedded PostgreSQL left running over {}", pgData);
      run(List.of(pgCtl(), "-D", pgData.toString(), "-m", "fast", "-w", "-t", "30", "stop"));
    }
  }

  private void startServer() throws IOException {
    String options = "-p " + port + " -h 127.0.0.1 -k ''";
    Result r = run(List.of(pgCtl(), "-D", pgData.toString(), "-l", logFile.toString(), "-w",
        "-t", Long.toString(START_TIMEOUT_SECONDS), "-o", options, "start"));
    if (r.exitCode() != 0) {
      throw new EmbeddedDatabaseException("embedded PostgreSQL did not start on 127.0.0.1:"
          + port + " (pg_ctl exit " + r.exitCode() + "): " + tail(r.output())
          + "; server log " + logFile + ": " + tail(readQuietly(logFile)), null);
    }
    log.info("embedded PostgreSQL {} listening on 127.0.0.1:{}", pgData, port);
  }

  private String pgCtl() {
    return binDir.resolve("bin/pg_ctl").toString();
  }

  private record Result(int exitCode, String output) {}

  /** Runs a PostgreSQL binary, under {@code unshare -U} as root; output is captured. */
  private Result run(List<String> command) throws IOException {
    List<String> full = new ArrayList<>();
    if (asRoot) {
      full.add("unshare");
      full.add("-U");
    }
    full.addAll(command);
    Path out = Files.createTempFile("archivist-pg", ".out");
    try {
      Process p = new ProcessBuilder(full)
          .redirectErrorStream(true)
          .redirectOutput(out.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .start();
      try {
        if (!p.waitFor(START_TIMEOUT_SECONDS + 30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IOException(String.join(" ", full) + " did not finish within "
              + (START_TIMEOUT_SECONDS + 30) + " s");
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while running " + String.join(" ", full), e);
      }
      return new Result(p.exitValue(), readQuietly(out));
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /**
   * Extracts zonky's PostgreSQL archive into {@code cacheDir/<sha-256 prefix>} once; later starts
   * find the completed marker and reuse it.
   */
  static Path extractBinaries(Path cacheDir) throws IOException {
    Files.createDirectories(cacheDir);
    Path download = Files.createTempFile(cacheDir, "postgres", ".txz.tmp");
    try {
      String digest;
      try (InputStream in = openBinaries()) {
        MessageDigest sha = sha256();
        try (DigestInputStream din = new DigestInputStream(in, sha)) {
          Files.copy(din, download, StandardCopyOption.REPLACE_EXISTING);
        }
        digest = HexFormat.of().formatHex(sha.digest()).substring(0, 16);
      }
      Path target = cacheDir.resolve(digest);
      if (Files.exists(target.resolve(".complete"))) {
        return target;
      }
      Path staging = Files.createTempDirectory(cacheDir, digest + ".staging");
      try (InputStream raw = Files.newInputStream(download);
          XZCompressorInputStream xz = new XZCompressorInputStream(raw);
          TarArchiveInputStream tar = new TarArchiveInputStream(xz)) {
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
          Path path = staging.resolve(entry.getName()).normalize();
          if (!path.startsWith(staging)) {
            throw new IOException("the PostgreSQL archive holds a path outside its root: "
                + entry.getName());
          }
          if (entry.isDirectory()) {
            Files.createDirectories(path);
          } else if (entry.isSymbolicLink()) {
            Files.createDirectories(path.getParent());
            Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
          } else {
            Files.createDirectories(path.getParent());
            try (OutputStream o = Files.newOutputStream(path)) {
              tar.transferTo(o);
            }
            Files.setPosixFilePermissions(path, permissions(entry.getMode()));
          }
        }
      }
      Files.writeString(staging.resolve(".complete"), digest, StandardCharsets.UTF_8);
      try {
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException raced) {
        // Another process extracted the same binaries first; theirs are as good as ours.
        if (!Files.exists(target.resolve(".complete"))) {
          throw raced;
        }
        deleteTree(staging);
      }
      return target;
    } finally {
      Files.deleteIfExists(download);
    }
  }

  private static InputStream openBinaries() throws IOException {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    String system = os.contains("mac") ? "Darwin" : os.contains("win") ? "Windows" : "Linux";
    String hardware = switch (arch) {
      case "amd64", "x86_64" -> "x86_64";
      case "aarch64", "arm64" -> "arm_64";
      default -> arch;
    };
    try {
      InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, hardware);
      if (in == null) {
        throw new IOException("no embedded PostgreSQL binaries for " + system + "/" + hardware);
      }
      return in;
    } catch (IllegalStateException | IOException e) {
      throw new EmbeddedDatabaseException("no embedded PostgreSQL binaries for " + system + "/"
          + hardware + " in this build (" + e.getMessage() + "); give --db with a JDBC URL of"
          + " a PostgreSQL or MySQL/MariaDB server instead", e);
    }
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
        PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE,
        PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
        PosixFilePermission.OWNER_READ};
    for (int i = 0; i < bits.length; i++) {
      if ((mode & (1 << i)) != 0) {
        set.add(bits[i]);
      }
    }
    // Under unshare -U the files look owned by another user: they must be readable by others.
    set.add(PosixFilePermission.OWNER_READ);
    set.add(PosixFilePermission.OTHERS_READ);
    if (set.contains(PosixFilePermission.OWNER_EXECUTE)) {
      set.add(PosixFilePermission.OTHERS_EXECUTE);
    }
    return set;
  }

  static boolean isRoot() {
    try {
      Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      return uid instanceof Integer i && i == 0;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }

  private static void requireUnshare() {
    try {
      Process p = new ProcessBuilder("unshare", "-U", "true").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new EmbeddedDatabaseException(rootAdvice("'unshare -U' failed: " + out.strip()),
            null);
      }
    } catch (IOException e) {
      throw new EmbeddedDatabaseException(rootAdvice("'unshare' is not available: "
          + e.getMessage()), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddedDatabaseException("interrupted while checking 'unshare -U'", e);
    }
  }

  private static String rootAdvice(String what) {
    return "PostgreSQL refuses to run as root, and archivist runs it under 'unshare -U' when"
        + " run as root, but " + what + ". Run archivist as a non-root user, or give --db with"
        + " the JDBC URL of a database server";
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException | UncheckedIOException e) {
      return "(" + file + " unreadable: " + e.getMessage() + ")";
    }
  }

  private static String tail(String output) {
    String[] lines = output.strip().split("\n");
    int from = Math.max(0, lines.length - 8);
    return String.join(" | ", java.util.Arrays.copyOfRange(lines, from, lines.length));
  }

  /**
   * Deletes the database of {@code dataDir} (its {@code postgres} folder and log), keeping the
   * extracted binaries, so the next {@link #start} begins with an empty archive.
   *
   * @throws EmbeddedDatabaseException when a server is still running over it
   */
  public static void wipe(Path dataDir) {
    Path pgData = dataDir.toAbsolutePath().normalize().resolve("postgres");
    try {
      Path pidFile = pgData.resolve("postmaster.pid");
      if (Files.exists(pidFile)) {
        String first = Files.readAllLines(pidFile, StandardCharsets.UTF_8).stream().findFirst()
            .orElse("").strip();
        if (first.matches("\\d+")
            && ProcessHandle.of(Long.parseLong(first)).map(ProcessHandle::isAlive).orElse(false)) {
          throw new EmbeddedDatabaseException("the embedded PostgreSQL over " + pgData
              + " is running (pid " + first + "), probably another archivist; stop it first",
              null);
        }
      }
      deleteTree(pgData);
      Files.deleteIfExists(pgData.resolveSibling("postgres.log"));
    } catch (IOException e) {
      throw new EmbeddedDatabaseException("could not delete " + pgData + ": " + e.getMessage(), e);
    }
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
