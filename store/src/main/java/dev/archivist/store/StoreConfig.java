package dev.archivist.store;

import dev.archivist.core.Redaction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach the archive and which slice of it is ours.
 *
 * @param jdbcUrl a {@code jdbc:postgresql:}, {@code jdbc:mariadb:} or {@code jdbc:mysql:} URL,
 *     without the password
 * @param user the database user, or null to take it from the URL
 * @param password the password, or null; never logged, never put in an error message
 * @param clusterName Argo's {@code persistence.clusterName}; {@code default} by default
 * @param instanceId Argo's controller instance ID; empty by default
 * @param maxPoolSize the most connections the pool opens
 * @param connectTimeout how long to wait for a connection from the pool or the server
 * @param statementTimeout how long one statement may run
 * @param passwordFile a file holding the password, or null; when given it is read again for
 *     every new connection the pool opens (see {@link ArchiveStore#open}), so a rotated password
 *     is picked up without a restart, and it takes the place of {@code password}
 */
public record StoreConfig(
    String jdbcUrl,
    String user,
    String password,
    String clusterName,
    String instanceId,
    int maxPoolSize,
    Duration connectTimeout,
    Duration statementTimeout,
    Path passwordFile) {

  public StoreConfig {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(clusterName, "clusterName");
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(statementTimeout, "statementTimeout");
    if (maxPoolSize < 1) {
      throw new IllegalArgumentException("maxPoolSize must be >= 1, got " + maxPoolSize);
    }
  }

  /** A config without a password file. */
  public StoreConfig(String jdbcUrl, String user, String password, String clusterName,
      String instanceId, int maxPoolSize, Duration connectTimeout, Duration statementTimeout) {
    this(jdbcUrl, user, password, clusterName, instanceId, maxPoolSize, connectTimeout,
        statementTimeout, null);
  }

  /** The defaults: cluster {@code default}, instance {@code ""}, 10 connections, 10 s / 60 s. */
  public static StoreConfig of(String jdbcUrl, String user, String password) {
    return new StoreConfig(jdbcUrl, user, password, "default", "", 10,
        Duration.ofSeconds(10), Duration.ofSeconds(60));
  }

  public StoreConfig withScope(String clusterName, String instanceId) {
    return new StoreConfig(jdbcUrl, user, password, clusterName, instanceId, maxPoolSize,
        connectTimeout, statementTimeout, passwordFile);
  }

  public StoreConfig withTimeouts(Duration connectTimeout, Duration statementTimeout) {
    return new StoreConfig(jdbcUrl, user, password, clusterName, instanceId, maxPoolSize,
        connectTimeout, statementTimeout, passwordFile);
  }

  /** With the password read from {@code file} for every new connection (null: no file). */
  public StoreConfig withPasswordFile(Path file) {
    return new StoreConfig(jdbcUrl, user, password, clusterName, instanceId, maxPoolSize,
        connectTimeout, statementTimeout, file);
  }

  @Override
  public String toString() {
    return "StoreConfig[jdbcUrl=" + Redaction.url(jdbcUrl) + ", user=" + user + ", password="
        + (password == null ? "none" : "****") + ", clusterName=" + clusterName
        + (passwordFile == null ? "" : ", passwordFile=" + passwordFile)
        + ", instanceId=" + instanceId + ", maxPoolSize=" + maxPoolSize + "]";
  }
}
