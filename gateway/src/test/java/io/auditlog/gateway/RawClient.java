package io.auditlog.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A raw HTTP/1.1 connection to a gateway from a chosen loopback address (any of 127.0.0.0/8), for what the HTTP
 * client cannot do: count as another client address, or send a request head and stop.
 */
final class RawClient implements AutoCloseable {

  private final Socket socket = new Socket();

  RawClient(String from, TestGateway to) throws IOException {
    URI base = URI.create(to.base);
    socket.bind(new InetSocketAddress(from, 0));
    socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
    socket.setSoTimeout(30_000);
  }

  /** Sends the text as it is. */
  RawClient send(String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    socket.getOutputStream().flush();
    return this;
  }

  /** The status code of the answer's status line. */
  int status() throws IOException {
    InputStream in = socket.getInputStream();
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
      line.append((char) c);
    }
    String[] parts = line.toString().split(" ");
    return parts.length < 2 ? -1 : Integer.parseInt(parts[1]);
  }

  /** The whole answer, head and body, up to the connection's end. */
  String answer() throws IOException {
    return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  /** The status of a GET of {@code path} with these headers, each line ending in CRLF. */
  static int get(String from, TestGateway to, String path, String headers) throws IOException {
    try (RawClient client = new RawClient(from, to)) {
      return client.send("GET " + path + " HTTP/1.1\r\nHost: gateway\r\n" + headers + "Connection: close\r\n\r\n")
          .status();
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
