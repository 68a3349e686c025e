package io.auditlog.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
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
          idle.add(kept("127.0.0.6", gateway));
        }
        assertThat(closedAtOnce(new RawClient("127.0.0.6", gateway))).as("a sixth from one address").isTrue();
        assertThat(RawClient.get("127.0.0.7", gateway, "/openapi.json", "")).as("another address").isEqualTo(200);
        for (int i = 0; i < 3; i++) {
          idle.add(kept("127.0.0.7", gateway));
        }
        assertThat(closedAtOnce(new RawClient("127.0.0.8", gateway))).as("a ninth in all").isTrue();
        idle.remove(0).close();
        assertThat(servedWithin(Duration.ofSeconds(10), "127.0.0.8", gateway)).as("once one closed").isTrue();
      } finally {
        for (RawClient client : idle) {
          client.close();
        }
      }
    }
  }

  /**
   * A connection the gateway has admitted and keeps open: it answered a request on it that asked to keep it. Asked again
   * for up to ten seconds, as one closed just before may not be counted out yet.
   */
  private static RawClient kept(String from, TestGateway gateway) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      RawClient client = new RawClient(from, gateway);
      if (client.send("GET /openapi.json HTTP/1.1\r\nHost: gateway\r\n\r\n").status() == 200) {
        return client;
      }
      client.close();
      assertThat(System.nanoTime()).as("a connection kept from " + from).isLessThan(end);
      Thread.sleep(100);
    }
  }

  /** True once a request from {@code from} is served, asked again until {@code limit} has passed. */
  private static boolean servedWithin(Duration limit, String from, TestGateway gateway) throws Exception {
    long end = System.nanoTime() + limit.toNanos();
    while (RawClient.get(from, gateway, "/openapi.json", "") != 200) {
      if (System.nanoTime() > end) {
        return false;
      }
      Thread.sleep(100);
    }
    return true;
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
