package dev.archivist.bench.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DelayProxyTest {

  @Test
  void relaysEveryByteBothWays() throws Exception {
    try (ServerSocket echo = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
      Thread server = new Thread(() -> {
        try (Socket s = echo.accept()) {
          s.getInputStream().transferTo(s.getOutputStream());
        } catch (IOException e) {
          // the test fails on what it reads
        }
      });
      server.setDaemon(true);
      server.start();
      byte[] sent = new byte[1 << 20];
      new Random(7).nextBytes(sent);
      try (DelayProxy proxy = new DelayProxy(
              new InetSocketAddress(InetAddress.getLoopbackAddress(), echo.getLocalPort()),
              1_000_000);
          Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
        OutputStream out = client.getOutputStream();
        Thread writer = new Thread(() -> {
          try {
            out.write(sent);
            client.shutdownOutput();
          } catch (IOException e) {
            // the test fails on what it reads
          }
        });
        writer.start();
        InputStream in = client.getInputStream();
        byte[] received = new byte[sent.length];
        new DataInputStream(in).readFully(received);
        assertThat(received).isEqualTo(sent);
        assertThat(in.read()).as("the echo's end of stream is passed on").isEqualTo(-1);
      }
    }
  }

  @Test
  void rewritesOnlyTheHostAndPortOfAJdbcUrl() throws Exception {
    InetSocketAddress pg = DelayProxy.hostPort("jdbc:postgresql://127.0.0.1:5433/db?user=x");
    assertThat(pg.getPort()).isEqualTo(5433);
    assertThat(DelayProxy.hostPort("jdbc:mariadb://localhost/db").getPort()).isEqualTo(3306);
    assertThat(DelayProxy.hostPort("jdbc:postgresql://localhost/db").getPort()).isEqualTo(5432);
    try (DelayProxy proxy = new DelayProxy(pg, 0)) {
      assertThat(proxy.rewrite("jdbc:postgresql://127.0.0.1:5433/db?user=x"))
          .isEqualTo("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/db?user=x");
    }
  }
}
