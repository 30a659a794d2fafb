package dev.archivist.bench.chaos;

import dev.archivist.core.Redaction;
import dev.archivist.testing.TcpProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A database server others use too (the shared MariaDB, or a PostgreSQL given with {@code --db}):
 * the campaign archives into a schema (PostgreSQL) or database (MariaDB) of its own, and never
 * stops the server. Its outage is a TCP proxy in front of it that closes every connection and
 * refuses new ones, which is what a stopped server looks like to a client, without the server's
 * own shutdown notice.
 *
 * @param url the JDBC URL of the campaign's schema or database
 * @param mysql true for MariaDB or MySQL
 * @param proxy the outage proxy in front of the server
 */
record SharedDatabase(String url, boolean mysql, TcpProxy proxy) implements ChaosDatabase {
  /** Creates schema or database {@code name} on the server of {@code serverUrl}. */
  static SharedDatabase create(String serverUrl, String name) {
    boolean mysql = serverUrl.startsWith("jdbc:mariadb:") || serverUrl.startsWith("jdbc:mysql:");
    if (!mysql && !serverUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("--db takes a jdbc:postgresql:, jdbc:mariadb: or"
          + " jdbc:mysql: URL, got " + Redaction.url(serverUrl));
    }
    String url;
    try (Connection c = DriverManager.getConnection(serverUrl);
        Statement s = c.createStatement()) {
      if (mysql) {
        s.execute("drop database if exists " + name);
        s.execute("create database " + name);
        url = serverUrl.replaceFirst("(//[^/]+/)[^?]*", "$1" + name);
      } else {
        s.execute("drop schema if exists " + name + " cascade");
        s.execute("create schema " + name);
        url = serverUrl + (serverUrl.contains("?") ? "&" : "?") + "currentSchema=" + name;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not create " + name + " on "
          + Redaction.url(serverUrl) + " (SQL state " + e.getSQLState() + "): "
          + e.getMessage(), e);
    }
    InetSocketAddress target = dev.archivist.bench.store.DelayProxy.hostPort(url);
    try {
      return new SharedDatabase(url, mysql, new TcpProxy(target.getHostString(),
          target.getPort()));
    } catch (IOException e) {
      throw new UncheckedIOException("could not open the outage proxy", e);
    }
  }

  @Override
  public InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", proxy.port());
  }

  @Override
  public void stop() {
    proxy.cutOff();
  }

  @Override
  public void start() {
    proxy.restore();
  }

  @Override
  public String outageKind() {
    return "shared " + (mysql ? "MariaDB" : "PostgreSQL") + " cut off at a TCP proxy (every"
        + " connection closed, new ones refused); the server itself kept running";
  }

  @Override
  public void close() {
    proxy.close();
  }

  /** Without the URL's password, which the generated one would print. */
  @Override
  public String toString() {
    return "SharedDatabase[url=" + Redaction.url(url) + ", mysql=" + mysql + "]";
  }
}
