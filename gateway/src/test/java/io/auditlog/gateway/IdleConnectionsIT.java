package io.auditlog.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gateway's port closes connections that hold no request after {@code AUDIT_HTTP_IDLE_TIMEOUT}. */
class IdleConnectionsIT {

  @Test
  void aConnectionThatSendsNothingOrStopsAfterAnAnswerIsClosed() throws Exception {
    try (TestGateway gateway = new TestGateway(Map.of("AUDIT_HTTP_IDLE_TIMEOUT", "1s"))) {
      URI base = URI.create(gateway.base);
      try (Socket silent = new Socket(base.getHost(), base.getPort())) {
        assertThat(closedWithin(silent, Duration.ofSeconds(5))).isTrue();
      }
      try (Socket kept = new Socket(base.getHost(), base.getPort())) {
        kept.getOutputStream().write("GET /openapi.json HTTP/1.1\r\nHost: x\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(kept.getInputStream().readNBytes(12), StandardCharsets.US_ASCII))
            .isEqualTo("HTTP/1.1 200");
        assertThat(closedWithin(kept, Duration.ofSeconds(5))).isTrue();
      }
    }
  }

  /** Reads until the end of the stream; true when it came before the deadline. */
  private static boolean closedWithin(Socket socket, Duration deadline) throws Exception {
    socket.setSoTimeout((int) deadline.toMillis());
    long started = System.nanoTime();
    InputStream in = socket.getInputStream();
    while (in.read() >= 0) {
      // the rest of an answer
    }
    return Duration.ofNanos(System.nanoTime() - started).compareTo(deadline) < 0;
  }
}
