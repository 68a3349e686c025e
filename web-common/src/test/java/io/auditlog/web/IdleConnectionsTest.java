package io.auditlog.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A real server on a free port, spoken to over raw sockets so that what the client sends is exact. */
class IdleConnectionsTest {

  private static final Duration IDLE = Duration.ofMillis(400);
  private static Vertx vertx;
  private static int port;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router.get("/fast").handler(ctx -> ctx.response().end("fast"));
    router.get("/slow").handler(ctx -> vertx.setTimer(1_500, t -> ctx.response().end("slow")));
    HttpServer server = IdleConnections.listen(vertx, new HttpServerOptions().setHost("127.0.0.1").setPort(0),
        router, IDLE).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    port = server.actualPort();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void requestsTheDecoderRefusesAreAnsweredWithAJsonBodyAndTheConnectionClosed() throws Exception {
    String[][] cases = {
        {"GET /" + "a".repeat(5_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", "414", "uri_too_long"},
        {"GET /fast HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(10_000) + "\r\n\r\n", "431", "headers_too_large"},
        {"GET /fast HTTP/1.1\r\nHost: x\r\nContent-Length: x\r\n\r\n", "400", "bad_request"}};
    for (String[] request : cases) {
      try (Socket socket = connect()) {
        socket.getOutputStream().write(request[0].getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        socket.getInputStream().transferTo(answer);
        String text = answer.toString(StandardCharsets.US_ASCII);
        assertThat(text).as(request[1]).matches("(?s)HTTP/1\\.[01] " + request[1] + " .*").contains("application/json")
            .contains("\"type\":\"" + request[2] + "\"");
      }
    }
  }

  @Test
  void aConnectionThatSendsNothingIsClosed() throws Exception {
    try (Socket socket = connect()) {
      long started = System.nanoTime();
      assertThat(socket.getInputStream().read()).isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(IDLE.minusMillis(100), IDLE.multipliedBy(5));
    }
  }

  @Test
  void aRequestHeadTrickledAByteAtATimeDoesNotKeepTheConnection() throws Exception {
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write("GET /fast HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
      long started = System.nanoTime();
      boolean closed = false;
      try {
        for (int i = 0; i < 40 && !closed; i++) {
          out.write("X-Slow: a\r\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
          Thread.sleep(100);
          closed = socket.getInputStream().available() == 0 && peekClosed(socket);
        }
      } catch (IOException reset) {
        closed = true;
      }
      assertThat(closed).as("closed while the head was still arriving").isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }
  }

  @Test
  void aRequestThatTakesLongerThanTheIdleTimeIsAnsweredAndTheConnectionClosedAfterwards() throws Exception {
    try (Socket socket = connect()) {
      socket.getOutputStream().write("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      String answer = readUntil(socket.getInputStream(), "slow");
      assertThat(answer).startsWith("HTTP/1.1 200").endsWith("slow");
      long answered = System.nanoTime();
      assertThat(socket.getInputStream().read()).isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - answered)).isBetween(IDLE.minusMillis(100),
          IDLE.multipliedBy(5));
    }
  }

  @Test
  void aKeptAliveConnectionServesRequestsWithinTheIdleTime() throws Exception {
    try (Socket socket = connect()) {
      for (int i = 0; i < 4; i++) {
        socket.getOutputStream().write("GET /fast HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(readUntil(socket.getInputStream(), "fast")).startsWith("HTTP/1.1 200");
        Thread.sleep(IDLE.toMillis() / 2);
      }
    }
  }

  private static Socket connect() throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    return socket;
  }

  /** True when the server has closed the connection (a read ends at once with end of stream). */
  private static boolean peekClosed(Socket socket) throws IOException {
    socket.setSoTimeout(1);
    try {
      return socket.getInputStream().read() == -1;
    } catch (java.net.SocketTimeoutException open) {
      return false;
    } finally {
      socket.setSoTimeout(10_000);
    }
  }

  private static String readUntil(InputStream in, String end) throws IOException {
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    while (!read.toString(StandardCharsets.US_ASCII).endsWith(end)) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      read.write(b);
    }
    return read.toString(StandardCharsets.US_ASCII);
  }
}
