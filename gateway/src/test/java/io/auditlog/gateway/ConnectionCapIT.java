package io.auditlog.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The client connections kept open at once are bounded, per client address and in all. */
class ConnectionCapIT {

  @Test
  void connectionsPastAnAddresssShareOrTheTotalAreClosedAsTheyOpen() throws Exception {
    try (TestGateway gateway = new TestGateway(Map.of("AUDIT_MAX_CONNECTIONS", "8",
        "AUDIT_MAX_CONNECTIONS_PER_ADDRESS", "5"))) {
      List<RawClient> idle = new ArrayList<>();
      try {
        for (int i = 0; i < 5; i++) {
          idle.add(new RawClient("127.0.0.6", gateway));
        }
        // The event loops take connections in no order of their own: the five are counted before the sixth opens.
        Thread.sleep(500);
        assertThat(closedAtOnce(new RawClient("127.0.0.6", gateway))).as("a sixth from one address").isTrue();
        assertThat(RawClient.get("127.0.0.7", gateway, "/openapi.json", "")).as("another address").isEqualTo(200);
        for (int i = 0; i < 3; i++) {
          idle.add(new RawClient("127.0.0.7", gateway));
        }
        Thread.sleep(500);
        assertThat(closedAtOnce(new RawClient("127.0.0.8", gateway))).as("a ninth in all").isTrue();
        idle.remove(0).close();
        Thread.sleep(500);
        assertThat(RawClient.get("127.0.0.8", gateway, "/openapi.json", "")).as("once one closed").isEqualTo(200);
      } finally {
        for (RawClient client : idle) {
          client.close();
        }
      }
    }
  }

  /** True when the gateway closes the connection as it opens: a request sent at once gets no answer or a 503. */
  private static boolean closedAtOnce(RawClient client) throws IOException {
    try (client) {
      client.send("GET /openapi.json HTTP/1.1\r\nHost: gateway\r\n\r\n");
      int status = client.status();
      return status == -1 || status == 503;
    } catch (IOException e) {
      return true;
    }
  }
}
