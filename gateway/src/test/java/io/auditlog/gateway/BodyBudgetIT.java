package io.auditlog.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.SampleEvents;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Request bodies held at once are bounded, per client address too, by the bytes that arrived: request heads alone hold
 * nothing; past its share, a client's body is refused with a 503, unread, while another address is served; a body
 * that does not arrive in time is a 408; one declared over the limit is a 413, unread, and its connection closed.
 */
class BodyBudgetIT {

  private static final int MIB = 1024 * 1024;
  /** An eighth of 8 MiB per address: 1 MiB. */
  private static final Map<String, String> SETTINGS = Map.of("AUDIT_BODY_LIMIT", Integer.toString(MIB),
      "AUDIT_MODSEC_MAX_ENTRY_BYTES", Integer.toString(MIB), "AUDIT_BODY_BUDGET", Integer.toString(8 * MIB),
      "AUDIT_BODY_TIMEOUT", "2s");

  @Test
  void requestHeadsWithoutTheirBodiesHoldNothing() throws Exception {
    try (TestGateway gateway = new TestGateway(SETTINGS)) {
      List<RawClient> heads = new ArrayList<>();
      try {
        for (int i = 0; i < 40; i++) {
          heads.add(new RawClient("127.0.0.3", gateway).send(head(MIB)));
        }
        try (RawClient same = new RawClient("127.0.0.3", gateway).send(head(2) + "{}")) {
          assertThat(same.status()).as("the same address, 40 MiB declared and nothing sent").isEqualTo(401);
        }
      } finally {
        for (RawClient client : heads) {
          client.close();
        }
      }
    }
  }

  @Test
  void aClientPastItsShareIsRefusedUnreadAndAnotherAddressIsServed() throws Exception {
    try (TestGateway gateway = new TestGateway(SETTINGS);
        RawClient holding = new RawClient("127.0.0.3", gateway).send(head(MIB) + "[" + " ".repeat(900 * 1024))) {
      Thread.sleep(500);
      try (RawClient past = new RawClient("127.0.0.3", gateway).send(head(MIB) + "[" + " ".repeat(300 * 1024))) {
        assertThat(past.answer()).startsWith("HTTP/1.1 503").contains("Retry-After: 1", "\"too_many_bodies\"");
      }
      try (RawClient other = new RawClient("127.0.0.4", gateway).send(head(2) + "{}")) {
        assertThat(other.status()).as("another address, while the first holds its share").isEqualTo(401);
      }
      assertThat(holding.answer()).as("the body held, never finished").startsWith("HTTP/1.1 408");
      holding.close();
      assertThat(statusOnceFreed(gateway)).as("the share given back").isEqualTo(401);
    }
  }

  /**
   * A valid body of many small values is counted by the tree it makes, not only by its bytes: 30 KB of empty objects
   * (a tree of some 1.3 MB) does not fit an address's 1 MiB, while a body of ordinary events of the same size does.
   */
  @Test
  void aBodyIsCountedByTheTreeItMakes() throws Exception {
    try (TestGateway gateway = new TestGateway(SETTINGS)) {
      String key = gateway.adminAccessKey();
      ObjectNode dense = SampleEvents.seedJson();
      ArrayNode empties = ((ObjectNode) dense.path("event").path("detail")).putArray("empties");
      for (int i = 0; i < 10_000; i++) {
        empties.addObject();
      }
      String ordinary = "[" + String.join(",", Collections.nCopies(55, SampleEvents.seedJson().toString())) + "]";
      assertThat(ordinary.length()).isGreaterThan(dense.toString().length());
      try (RawClient client = new RawClient("127.0.0.7", gateway).send(keyed(ordinary, key))) {
        assertThat(client.status()).as("ordinary events").isEqualTo(202);
      }
      try (RawClient client = new RawClient("127.0.0.7", gateway).send(keyed(dense.toString(), key))) {
        assertThat(client.answer()).startsWith("HTTP/1.1 503").contains("Retry-After: 1", "\"too_many_bodies\"");
      }
    }
  }

  /**
   * A body is also counted by what its strings take in the tree (two bytes a character when one is beyond Latin-1) and
   * by the records sent to Kafka: 280 KB of ASCII text fits an address's 1 MiB, the same of text with a euro sign in
   * it does not.
   */
  @Test
  void aBodyIsCountedByWhatItsStringsTakeUntilKafkaHasThem() throws Exception {
    try (TestGateway gateway = new TestGateway(SETTINGS)) {
      String key = gateway.adminAccessKey();
      for (String first : List.of("x", "\u20ac")) {
        ObjectNode event = SampleEvents.seedJson();
        ((ObjectNode) event.path("event").path("detail")).put("text", first + "x".repeat(40_000));
        String body = "[" + String.join(",", Collections.nCopies(7, event.toString())) + "]";
        assertThat(body.length()).isBetween(280_000, 290_000);
        try (RawClient client = new RawClient("127.0.0.8", gateway).send(keyed(body, key))) {
          assertThat(client.answer()).as(first).startsWith(first.equals("x") ? "HTTP/1.1 202" : "HTTP/1.1 503");
        }
      }
    }
  }

  private static String keyed(String body, String key) {
    return head(body.getBytes(StandardCharsets.UTF_8).length).replace("api-key: made-up", "api-key: " + key) + body;
  }

  @Test
  void aBodyThatDoesNotArriveInTimeIsA408AndItsConnectionClosed() throws Exception {
    try (TestGateway gateway = new TestGateway(SETTINGS);
        RawClient slow = new RawClient("127.0.0.5", gateway).send(head(100) + "[1,")) {
      long started = System.nanoTime();
      String answer = slow.answer();
      assertThat(answer).startsWith("HTTP/1.1 408").contains("\"body_timeout\"");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }
  }

  /**
   * A body declared over the limit is answered 413 and its connection closed once what the client sends has come
   * (before, the connection stayed open, unread, until the idle timeout); a client that waits to be told to send its
   * body is told so at once, or refused without being told when it declared too much.
   */
  @Test
  void aBodyDeclaredOverTheLimitIsRefusedAndOneWithinItIsAskedFor() throws Exception {
    try (TestGateway gateway = new TestGateway(SETTINGS)) {
      try (RawClient over = new RawClient("127.0.0.6", gateway).send(head(2 * MIB) + "[" + " ".repeat(100 * 1024))) {
        over.send(" ".repeat(2 * MIB - 100 * 1024 - 2) + "]");
        assertThat(over.answer()).startsWith("HTTP/1.1 413").containsIgnoringCase("connection: close")
            .contains("\"payload_too_large\"");
      }
      String expecting = "Expect: 100-continue\r\n\r\n";
      try (RawClient within = new RawClient("127.0.0.6", gateway)) {
        within.send(head(2).replace("\r\n\r\n", "\r\n" + expecting));
        assertThat(within.status()).isEqualTo(100);
        assertThat(within.status()).as("the blank line that ends the interim answer").isEqualTo(-1);
        assertThat(within.send("{}").answer()).startsWith("HTTP/1.1 401");
      }
      try (RawClient over = new RawClient("127.0.0.6", gateway)) {
        over.send(head(2 * MIB).replace("\r\n\r\n", "\r\n" + expecting));
        assertThat(over.answer()).startsWith("HTTP/1.1 413").doesNotContain("100 Continue");
      }
    }
  }

  /** A POST of a JSON body of {@code length} bytes with a made-up key, its head only. */
  private static String head(int length) {
    return "POST /audit/log HTTP/1.1\r\nHost: gateway\r\napi-key: made-up\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + length + "\r\nConnection: close\r\n\r\n";
  }

  /** The status of a request of 100 KiB from the first address, once its share has room again. */
  private static int statusOnceFreed(TestGateway gateway) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      try (RawClient client = new RawClient("127.0.0.3", gateway)
          .send(head(100 * 1024 + 2) + "[" + " ".repeat(100 * 1024) + "]")) {
        int status = client.status();
        if (status != 503 || System.nanoTime() > deadline) {
          return status;
        }
      }
      Thread.sleep(100);
    }
  }
}
