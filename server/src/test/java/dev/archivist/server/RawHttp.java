package dev.archivist.server;

import dev.archivist.testing.HttpTestClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Sends a request line exactly as written, for requests {@link java.net.URI} refuses. */
final class RawHttp {
  private RawHttp() {}

  static String get(HttpTestClient client, String rawPath) {
    return get(client.port(), rawPath);
  }

  static String get(int port, String rawPath) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("GET " + rawPath + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("raw GET " + rawPath, e);
    }
  }
}
