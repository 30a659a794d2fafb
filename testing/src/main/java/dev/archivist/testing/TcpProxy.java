package dev.archivist.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP proxy on loopback that a test can cut off and restore, to make a database or an API
 * server "go away" for one client only:
 * while cut off it closes every live connection and refuses new ones (accepts and closes them at
 * once, so clients fail fast instead of timing out), and the port stays the same throughout.
 */
public final class TcpProxy implements AutoCloseable {
  /** {@code jdbc:x://} + {@code host[:port]} + the rest. */
  private static final Pattern JDBC_AUTHORITY = Pattern.compile("^(jdbc:[a-z]+://)([^/]+)(/.*)$");
  private final String targetHost;
  private final int targetPort;
  private final ServerSocket server;
  private final Set<Socket> live = ConcurrentHashMap.newKeySet();
  private volatile boolean up = true;
  private volatile boolean closed;

  public TcpProxy(String targetHost, int targetPort) throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread acceptor = new Thread(this::acceptLoop, "tcp-proxy-accept-" + port());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * A proxy in front of the database {@code jdbcUrl} names; without a port, PostgreSQL's
   * default.
   */
  public static TcpProxy inFrontOf(String jdbcUrl) throws IOException {
    String authority = jdbcParts(jdbcUrl).group(2);
    int colon = authority.lastIndexOf(':');
    return colon < 0 ? new TcpProxy(authority, 5432)
        : new TcpProxy(authority.substring(0, colon),
            Integer.parseInt(authority.substring(colon + 1)));
  }

  /** {@code jdbcUrl} with its host and port replaced by this proxy's. */
  public String route(String jdbcUrl) {
    Matcher m = jdbcParts(jdbcUrl);
    return m.group(1) + "127.0.0.1:" + port() + m.group(3);
  }

  private static Matcher jdbcParts(String jdbcUrl) {
    Matcher m = JDBC_AUTHORITY.matcher(jdbcUrl);
    if (!m.matches()) {
      throw new IllegalArgumentException("no host:port in the JDBC URL " + jdbcUrl);
    }
    return m;
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Closes every connection and refuses new ones until {@link #restore()}. */
  public void cutOff() {
    up = false;
    for (Socket s : live) {
      closeQuietly(s);
    }
    live.clear();
  }

  public void restore() {
    up = true;
  }

  @Override
  public void close() {
    closed = true;
    cutOff();
    closeQuietly(server);
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return;
      }
      if (!up) {
        closeQuietly(client);
        continue;
      }
      Socket upstream;
      try {
        upstream = new Socket(targetHost, targetPort);
      } catch (IOException e) {
        closeQuietly(client);
        continue;
      }
      live.add(client);
      live.add(upstream);
      pump(client, upstream);
      pump(upstream, client);
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buf)) >= 0) {
          out.write(buf, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // The other side or cutOff() closed the connection.
      } finally {
        closeQuietly(from);
        closeQuietly(to);
        live.remove(from);
        live.remove(to);
      }
    }, "tcp-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // Closing is best effort here.
    }
  }
}
