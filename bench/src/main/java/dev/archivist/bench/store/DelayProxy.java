package dev.archivist.bench.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP relay on loopback that delivers every byte {@code oneWayNanos} after it arrived, in both
 * directions, without limiting bandwidth: a database "across a network" with a chosen round-trip
 * time, for {@code bench/throughput --rtt-ms} and {@code bench/argo-memory}. Each direction of each
 * connection has a reader, which stamps the chunks it reads, and a writer, which forwards each
 * chunk once its time has come.
 */
public final class DelayProxy implements AutoCloseable {
  private record Chunk(byte[] bytes, long due) {}

  private static final Chunk EOF = new Chunk(new byte[0], 0);

  private final ServerSocket server;
  private final InetSocketAddress target;
  /** Applies to bytes read from now on; bytes already in flight keep the delay they were given. */
  private volatile long oneWayNanos;
  private final List<Socket> sockets = new ArrayList<>();
  private volatile boolean closed;

  public DelayProxy(InetSocketAddress target, long oneWayNanos) throws IOException {
    this.target = target;
    this.oneWayNanos = oneWayNanos;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::acceptLoop, "delay-proxy-accept");
    accept.setDaemon(true);
    accept.start();
  }

  /** Changes the one-way delay of every connection, live ones included; 0 relays at once. */
  public void setOneWayDelay(long nanos) {
    if (nanos < 0) {
      throw new IllegalArgumentException("the one-way delay must be >= 0 ns, got " + nanos);
    }
    this.oneWayNanos = nanos;
  }

  public int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = server.accept();
        Socket upstream;
        try {
          upstream = new Socket(target.getAddress(), target.getPort());
        } catch (IOException e) {
          // The target is down: refuse this client at once, as the target itself would, rather
          // than leave it waiting for an answer that never comes.
          client.close();
          continue;
        }
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        synchronized (sockets) {
          sockets.add(client);
          sockets.add(upstream);
        }
        relay(client, upstream);
        relay(upstream, client);
      } catch (IOException e) {
        if (!closed) {
          System.err.println("[delay-proxy] " + e);
        }
      }
    }
  }

  private void relay(Socket from, Socket to) throws IOException {
    InputStream in = from.getInputStream();
    OutputStream out = to.getOutputStream();
    LinkedBlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      byte[] buf = new byte[64 * 1024];
      try {
        for (int n; (n = in.read(buf)) > 0; ) {
          queue.add(new Chunk(Arrays.copyOf(buf, n), System.nanoTime() + oneWayNanos));
        }
      } catch (IOException e) {
        // the other side closed: pass the end on
      }
      queue.add(EOF);
    }, "delay-proxy-read");
    Thread writer = new Thread(() -> {
      try {
        while (true) {
          Chunk c = queue.poll(1, TimeUnit.SECONDS);
          if (c == null) {
            if (closed) {
              return;
            }
            continue;
          }
          if (c == EOF) {
            to.shutdownOutput();
            return;
          }
          for (long wait; (wait = c.due() - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(wait);
          }
          out.write(c.bytes());
          out.flush();
        }
      } catch (IOException | InterruptedException e) {
        // the connection is gone
      }
    }, "delay-proxy-write");
    reader.setDaemon(true);
    writer.setDaemon(true);
    reader.start();
    writer.start();
  }

  /** {@code url} with its host and port replaced by this proxy's. */
  public String rewrite(String url) {
    return url.replaceFirst("//[^/]+/", "//127.0.0.1:" + port() + "/");
  }

  /** The host and port of a {@code jdbc:...://host:port/db} URL (5432 or 3306 when absent). */
  public static InetSocketAddress hostPort(String url) {
    int start = url.indexOf("//") + 2;
    int end = url.indexOf('/', start);
    String hp = url.substring(start, end);
    int colon = hp.lastIndexOf(':');
    int defaultPort = url.startsWith("jdbc:postgresql:") ? 5432 : 3306;
    return colon < 0 ? new InetSocketAddress(hp, defaultPort)
        : new InetSocketAddress(hp.substring(0, colon), Integer.parseInt(hp.substring(colon + 1)));
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    synchronized (sockets) {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }
}
