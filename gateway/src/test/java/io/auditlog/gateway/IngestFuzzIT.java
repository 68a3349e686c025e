package io.auditlog.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.gateway.ingest.IngestRoutes;
import io.auditlog.model.Json;
import io.auditlog.model.SampleEvents;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Thousands of malformed bodies (random bytes, truncated JSON, wrong types, missing and unknown keys, huge strings,
 * deep nesting, invalid UTF-8): every one gets a 4xx with a JSON body, none a 500, and the gateway stays healthy.
 */
class IngestFuzzIT {

  private static final int CASES = 3_000;
  private static TestGateway gateway;
  private static String accessKey;

  @BeforeAll
  static void start() throws Exception {
    gateway = new TestGateway(Map.of("AUDIT_BODY_LIMIT", "262144"));
    String token = gateway.login("admin", TestGateway.ADMIN_PASSWORD);
    accessKey = TestGateway.expect(gateway.bearer("/users/access-key/me", token).GET(), 200).path("access_key")
        .asText();
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  @Test
  void everyMalformedBodyGetsA4xxAndNothingBreaks() throws Exception {
    Random random = new Random(20261122);
    Map<Integer, Integer> statuses = new TreeMap<>();
    for (int i = 0; i < CASES; i++) {
      byte[] body = malformed(random, i % 8);
      HttpResponse<String> response = TestGateway.send(gateway.request("/audit/log").header("api-key", accessKey)
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)));
      statuses.merge(response.statusCode(), 1, Integer::sum);
      assertThat(response.statusCode()).as("case %d: %s -> %s", i, preview(body), response.body())
          .isBetween(400, 499);
      assertThat(Json.MAPPER.readTree(response.body()).has("detail")).isTrue();
    }
    assertThat(statuses.keySet()).contains(413, 422);
    JsonNode health = Json.MAPPER.readTree(TestGateway.send(gateway.request("/health").GET()).body());
    assertThat(health.path("checks").path("kafka").asText()).isEqualTo("UP");
    assertThat(health.path("checks").path("postgres").asText()).isEqualTo("UP");
    TestGateway.expect(gateway.request("/audit/log").header("api-key", accessKey)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(SampleEvents.seedJson().toString())), 202);
  }

  /** Bodies past what the event loop reads itself are read on threads of their own, and answered as small ones are. */
  @Test
  void largeBodiesAreAnsweredAsSmallOnesAre() throws Exception {
    ArrayNode batch = Json.MAPPER.createArrayNode();
    while (batch.toString().length() <= 2 * IngestRoutes.PARSED_ON_LOOP_BYTES) {
      batch.add(SampleEvents.seedJson());
    }
    JsonNode accepted = Json.MAPPER.readTree(post(batch.toString(), 202));
    assertThat(accepted.path("accepted").asInt()).isEqualTo(batch.size());
    assertThat(accepted.path("ids").size()).isEqualTo(batch.size());

    int bad = batch.size() - 2;
    ((ObjectNode) batch.get(bad)).remove("category");
    JsonNode refused = Json.MAPPER.readTree(post(batch.toString(), 422));
    assertThat(refused.path("detail").get(0).path("loc").toString()).isEqualTo("[\"body\"," + bad + ",\"category\"]");

    String strings = "[" + String.join(",", Collections.nCopies(1_001, "\"" + "s".repeat(100) + "\"")) + "]";
    assertThat(strings.length()).isGreaterThan(IngestRoutes.PARSED_ON_LOOP_BYTES);
    assertThat(Json.MAPPER.readTree(post(strings, 413)).path("detail").path("type").asText())
        .isEqualTo("batch_too_large");
    // Refused at the first element past the count: what follows it is never read, not even where the body breaks off.
    assertThat(Json.MAPPER.readTree(post(strings.substring(0, strings.length() - 1), 413)).path("detail").path("type")
        .asText()).isEqualTo("batch_too_large");
    String atTheCount = strings.substring(0, strings.lastIndexOf(',')) + "]";
    assertThat(Json.MAPPER.readTree(post(atTheCount.substring(0, atTheCount.length() - 1), 422)).has("detail"))
        .isTrue();
  }

  /**
   * One tenant's many large bodies at once wait for each other; another tenant's one is read in the next turn, before
   * most of them, though it arrived after all of them. In one queue for all it would be read after every one.
   */
  @Test
  void anotherTenantsLargeBodyIsReadBeforeOneTenantsMany() throws Exception {
    String password = "Fair-turns-" + System.nanoTime();
    String other = gateway.activeUser("fair" + System.nanoTime(), "example.com", password);
    String otherKey = TestGateway.expect(gateway.bearer("/users/access-key/me", gateway.login(other, password)).GET(),
        200).path("access_key").asText();
    ArrayNode batch = Json.MAPPER.createArrayNode();
    while (batch.toString().length() <= 200 * 1024) {
      batch.add(SampleEvents.seedJson());
    }
    // Refused for its last event, after the whole body is read and checked: nothing reaches Kafka.
    ((ObjectNode) batch.get(batch.size() - 1)).remove("category");
    String body = batch.toString();
    int many = 48;
    AtomicInteger answered = new AtomicInteger();
    List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
    for (int i = 0; i < many; i++) {
      flood.add(TestGateway.HTTP.sendAsync(largeBody(accessKey, body).build(), HttpResponse.BodyHandlers.ofString())
          .whenComplete((response, failure) -> answered.incrementAndGet()));
    }
    while (answered.get() == 0) {
      Thread.sleep(1);
    }
    int before = answered.get();
    HttpResponse<String> one = TestGateway.send(largeBody(otherKey, body));
    int during = answered.get() - before;
    CompletableFuture.allOf(flood.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);

    assertThat(one.statusCode()).as(one.body()).isEqualTo(422);
    for (CompletableFuture<HttpResponse<String>> response : flood) {
      assertThat(response.get().statusCode()).as(response.get().body()).isEqualTo(422);
    }
    assertThat(many - before - during).as("the first tenant's bodies answered after the other's (%d before it was "
        + "sent, %d while it was read)", before, during).isGreaterThanOrEqualTo(many / 2);
  }

  private HttpRequest.Builder largeBody(String key, String body) {
    return gateway.request("/audit/log").header("api-key", key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  private static String post(String body, int status) throws Exception {
    HttpResponse<String> response = TestGateway.send(gateway.request("/audit/log").header("api-key", accessKey)
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return response.body();
  }

  private static byte[] malformed(Random random, int kind) {
    return switch (kind) {
      case 0 -> randomBytes(random, 1 + random.nextInt(400));
      case 1 -> truncated(random);
      case 2 -> utf8(mutateType(random));
      case 3 -> utf8(removeOrAddKey(random));
      case 4 -> utf8("{\"category\":\"" + "x".repeat(300_000 + random.nextInt(1000)) + "\"}");
      case 5 -> utf8("[".repeat(1 + random.nextInt(5_000)) + "]".repeat(random.nextInt(3)));
      case 6 -> invalidUtf8(random);
      default -> utf8(batchWithOneBadElement(random));
    };
  }

  private static byte[] randomBytes(Random random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    bytes[0] = (byte) (bytes[0] == '[' || bytes[0] == '{' ? '#' : bytes[0]);
    return bytes;
  }

  private static byte[] truncated(Random random) {
    String json = SampleEvents.seedJson().toString();
    return utf8(json.substring(0, 1 + random.nextInt(json.length() - 2)));
  }

  private static final JsonNode[] WRONG = {Json.MAPPER.getNodeFactory().numberNode(7),
      Json.MAPPER.getNodeFactory().textNode("7"), Json.MAPPER.getNodeFactory().booleanNode(true),
      Json.MAPPER.getNodeFactory().nullNode(), Json.MAPPER.createArrayNode(), Json.MAPPER.createObjectNode()};

  /** One leaf or object of the seed event replaced by a value of another type. */
  private static String mutateType(Random random) {
    ObjectNode event = SampleEvents.seedJson();
    List<ObjectNode> parents = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    collect(event, parents, keys);
    int pick = random.nextInt(keys.size());
    JsonNode original = parents.get(pick).get(keys.get(pick));
    JsonNode replacement;
    do {
      replacement = WRONG[random.nextInt(WRONG.length)];
    } while (replacement.getNodeType() == original.getNodeType() || isAllowedReplacement(keys.get(pick), replacement));
    parents.get(pick).set(keys.get(pick), replacement);
    return event.toString();
  }

  /** Free-form places where any value is valid. */
  private static boolean isAllowedReplacement(String key, JsonNode replacement) {
    return key.equals("value") || key.equals("detail") && replacement.isObject();
  }

  private static void collect(ObjectNode node, List<ObjectNode> parents, List<String> keys) {
    for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      if (field.getKey().equals("detail")) {
        continue;
      }
      parents.add(node);
      keys.add(field.getKey());
      if (field.getValue().isObject()) {
        collect((ObjectNode) field.getValue(), parents, keys);
      }
    }
  }

  private static String removeOrAddKey(Random random) {
    ObjectNode event = SampleEvents.seedJson();
    if (random.nextBoolean()) {
      String[] required = {"category", "source_information", "method", "status", "level", "event", "actor"};
      event.remove(required[random.nextInt(required.length)]);
    } else {
      ((ObjectNode) event.get(random.nextBoolean() ? "event" : "actor")).put("unexpected" + random.nextInt(100), 1);
    }
    return event.toString();
  }

  private static byte[] invalidUtf8(Random random) {
    String json = SampleEvents.seedJson().toString();
    int at = json.indexOf("\"Login\"") + 2;
    byte[] prefix = utf8(json.substring(0, at));
    byte[] suffix = utf8(json.substring(at));
    byte[][] bad = {{(byte) 0xC3}, {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xC0, (byte) 0xAF},
        {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80}};
    byte[] insert = bad[random.nextInt(bad.length)];
    byte[] out = new byte[prefix.length + insert.length + suffix.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(insert, 0, out, prefix.length, insert.length);
    System.arraycopy(suffix, 0, out, prefix.length + insert.length, suffix.length);
    return out;
  }

  private static String batchWithOneBadElement(Random random) {
    ArrayNode batch = Json.MAPPER.createArrayNode();
    int size = 2 + random.nextInt(5);
    int bad = random.nextInt(size);
    for (int i = 0; i < size; i++) {
      if (i == bad) {
        batch.add(random.nextBoolean() ? Json.MAPPER.getNodeFactory().numberNode(i)
            : Json.MAPPER.createObjectNode().put("category", "only"));
      } else {
        batch.add(SampleEvents.seedJson());
      }
    }
    return batch.toString();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String preview(byte[] body) {
    String text = new String(body, 0, Math.min(body.length, 120), StandardCharsets.ISO_8859_1);
    return text.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
