package dev.archivist.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Loopback ports that were free a moment ago, for the servers that tests and benchmarks start, or
 * for a port where nothing listens. Another process may take one before it is used; callers that
 * cannot bear that retry with new ports.
 */
public final class FreePorts {
  private FreePorts() {}

  /** One port that was free a moment ago. */
  public static int loopback() {
    return loopback(1)[0];
  }

  /** {@code n} ports that were free a moment ago; all held open together so that they differ. */
  public static int[] loopback(int n) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sockets.add(s);
        ports[i] = s.getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find free loopback ports", e);
    } finally {
      for (ServerSocket s : sockets) {
        try {
          s.close();
        } catch (IOException ignored) {
          // closing a listening socket we own does not fail in a way that matters here
        }
      }
    }
  }
}
