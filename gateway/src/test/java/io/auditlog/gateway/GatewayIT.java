package io.auditlog.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.model.EventCodec;
import io.auditlog.model.Json;
import io.auditlog.model.Salts;
import io.auditlog.model.SampleEvents;
import io.auditlog.model.StampedEvent;
import io.auditlog.model.Topics;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The gateway against real PostgreSQL, Kafka and InfluxDB: login, access keys, ingestion and the error contract. */
class GatewayIT {

  private static final String TOPIC = "gateway-it-" + UUID.randomUUID();
  private static final int EVENT_LOOPS = 4;
  private static TestGateway gateway;
  private static String token;
  private static String accessKey;

  @BeforeAll
  static void start() throws Exception {
    gateway = new TestGateway(Map.of("AUDIT_TOPIC", TOPIC, "AUDIT_BODY_LIMIT", "65536", "AUDIT_BATCH_LIMIT", "5",
        "AUDIT_EVENT_LOOPS", Integer.toString(EVENT_LOOPS)));
    token = gateway.login("admin", TestGateway.ADMIN_PASSWORD);
    accessKey = json(send(authorized("/users/access-key/me").GET(), 200)).path("access_key").asText();
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  private static HttpRequest.Builder request(String path) {
    return gateway.request(path);
  }

  private static HttpRequest.Builder authorized(String path) {
    return gateway.bearer(path, token);
  }

  private static HttpRequest.Builder form(String path, String body) {
    return request(path).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  private static HttpRequest.Builder ingest(String body) {
    return request("/audit/log").header("api-key", accessKey).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  private static HttpResponse<String> send(HttpRequest.Builder request, int status) throws Exception {
    HttpResponse<String> response = TestGateway.send(request);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/json"));
    return response;
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return Json.MAPPER.readTree(response.body());
  }

  private static String detailMessage(HttpResponse<String> response) throws Exception {
    return json(response).path("detail").path("msg").asText();
  }

  @Test
  void healthReportsEveryDependencyAndThatNoWorkerConsumes() throws Exception {
    // No ingest worker runs beside this gateway: what it accepts is held in Kafka but not stored, and /health says so.
    JsonNode health = json(send(request("/health").GET(), 503));
    assertThat(health.path("status").asText()).isEqualTo("DOWN");
    assertThat(health.path("checks").toString()).isEqualTo(
        "{\"kafka\":\"UP\",\"postgres\":\"UP\",\"influxdb\":\"UP\",\"instance\":\"UP\",\"ingestion\":\"DOWN\"}");
    JsonNode ingestion = health.path("ingestion");
    assertThat(ingestion.path("reason").asText()).isEqualTo("no ingest worker consumes");
    assertThat(ingestion.path("workers").isArray()).isTrue();
    assertThat(ingestion.path("workers")).isEmpty();
    assertThat(ingestion.path("lag").isIntegralNumber()).isTrue();
  }

  @Test
  void loginAnswersTheSameForUnknownUsersAndWrongPasswords() throws Exception {
    String unknown = detailMessage(send(form("/auth/login", "username=nobody&password=x"), 401));
    String wrong = detailMessage(send(form("/auth/login", "username=admin&password=wrong"), 401));
    assertThat(unknown).isEqualTo(wrong).isEqualTo("Incorrect username or password.");
  }

  @Test
  void bearerRoutesNeedAValidToken() throws Exception {
    HttpResponse<String> none = send(request("/users/me").GET(), 401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    send(request("/users/me").header("Authorization", "Bearer " + token + "x").GET(), 401);
    JsonNode me = json(send(authorized("/users/me").GET(), 200));
    assertThat(me.path("username").asText()).isEqualTo("admin");
    assertThat(me.path("is_admin").asBoolean()).isTrue();
    assertThat(me.has("view")).isTrue();
    assertThat(json(send(authorized("/users/" + me.path("id").asLong()).GET(), 200)).path("id").asLong())
        .isEqualTo(me.path("id").asLong());
    send(authorized("/users/abc").GET(), 422);
  }

  @Test
  void acceptedEventsAreOnTheTopicOnceAcknowledged() throws Exception {
    JsonNode accepted = json(send(ingest("[" + SampleEvents.seedJson() + "," + SampleEvents.seedJson() + "]"), 202));
    assertThat(accepted.path("accepted").asInt()).isEqualTo(2);
    List<String> ids = new ArrayList<>();
    accepted.path("ids").forEach(id -> ids.add(id.asText()));

    List<ConsumerRecord<String, byte[]>> records = TestGateway.readTopic(TOPIC).stream()
        .filter(r -> accepted.path("event_id").asText().equals(new EventCodec().decode(r.value()).eventId()))
        .toList();
    EventCodec codec = new EventCodec();
    List<StampedEvent> events = records.stream().map(r -> codec.decode(r.value())).toList();
    assertThat(events).extracting(StampedEvent::id).containsExactlyElementsOf(ids);
    assertThat(events).extracting(StampedEvent::eventId).containsOnly(accepted.path("event_id").asText());
    assertThat(events).extracting(StampedEvent::stage).containsExactly(1, 2);
    assertThat(events.get(0).event()).isEqualTo(SampleEvents.seed());
    assertThat(records).allSatisfy(r -> {
      assertThat(r.key()).isEqualTo(events.get(0).tenant());
      assertThat(new String(r.headers().lastHeader(Topics.SCHEMA_VERSION_HEADER).value(), StandardCharsets.UTF_8))
          .isEqualTo("2");
    });
    assertThat(events).extracting(StampedEvent::salt).doesNotHaveDuplicates().allMatch(Salts::isSalt);
  }

  @Test
  void requestsOverManyConnectionsAreStampedOnceEachWhicheverEventLoopTakesThem() throws Exception {
    assertThat(gateway.verticle.httpServers()).isEqualTo(EVENT_LOOPS);
    int connections = 2 * EVENT_LOOPS;
    int perConnection = 25;
    ExecutorService senders = Executors.newFixedThreadPool(connections);
    List<Future<List<String>>> sent = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      sent.add(senders.submit(() -> {
        // A client of its own: a connection of its own, which Vert.x gives to one of the event loops.
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<String> eventIds = new ArrayList<>();
        for (int i = 0; i < perConnection; i++) {
          HttpResponse<String> answer = client.send(ingest(SampleEvents.seedJson().toString()).build(),
              HttpResponse.BodyHandlers.ofString());
          assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
          eventIds.add(json(answer).path("event_id").asText());
        }
        return eventIds;
      }));
    }
    Set<String> eventIds = new HashSet<>();
    for (Future<List<String>> each : sent) {
      eventIds.addAll(each.get(60, TimeUnit.SECONDS));
    }
    senders.shutdown();
    assertThat(eventIds).hasSize(connections * perConnection);

    EventCodec codec = new EventCodec();
    List<StampedEvent> published = TestGateway.readTopic(TOPIC).stream().map(r -> codec.decode(r.value()))
        .filter(event -> eventIds.contains(event.eventId())).toList();
    assertThat(published).hasSize(connections * perConnection);
    assertThat(published).extracting(StampedEvent::timestampNanos).doesNotHaveDuplicates();
    assertThat(published).extracting(StampedEvent::id).doesNotHaveDuplicates();
  }

  @Test
  void anIdempotencyKeyReturnsTheFirstAnswerAndPublishesOnce() throws Exception {
    String key = "retry-" + UUID.randomUUID();
    String body = SampleEvents.seedJson().toString();
    String first = send(ingest(body).header("Idempotency-Key", key), 202).body();
    String again = send(ingest(body).header("Idempotency-Key", key), 202).body();
    assertThat(again).isEqualTo(first);
    String eventId = Json.MAPPER.readTree(again).path("event_id").asText();
    assertThat(json(send(ingest(body.replace("Login", "Logout")).header("Idempotency-Key", key), 409))
        .path("detail").path("type").asText()).isEqualTo("idempotency_key_reused");
    JsonNode invalid = json(send(ingest(body).header("Idempotency-Key", "x".repeat(256)), 422));
    assertThat(invalid.path("detail").get(0).path("loc").toString()).isEqualTo("[\"header\",\"Idempotency-Key\"]");
    long published = TestGateway.readTopic(TOPIC).stream().map(r -> new EventCodec().decode(r.value()))
        .filter(e -> e.eventId().equals(eventId)).count();
    assertThat(published).isEqualTo(1);
  }

  /**
   * A reservation whose gateway stopped before it answered (no answer stored) holds its key while its lease runs (a
   * retry is a 409 in progress), then a retry takes it over and publishes the stored stamp again: the same ids,
   * timestamps and stages, byte for byte, so InfluxDB stores the same points once.
   */
  @Test
  void aRetryAfterAnUnfinishedRequestRepublishesTheSameStampedEvents() throws Exception {
    String key = "unfinished-" + UUID.randomUUID();
    String body = "[" + SampleEvents.seedJson() + "," + SampleEvents.seedJson() + "]";
    String first = send(ingest(body).header("Idempotency-Key", key), 202).body();
    String eventId = Json.MAPPER.readTree(first).path("event_id").asText();
    idempotencyRow(key, "response = NULL, claimed_until = now() + interval '1 hour'");
    assertThat(json(send(ingest(body).header("Idempotency-Key", key), 409)).path("detail").path("type").asText())
        .isEqualTo("idempotency_key_in_progress");

    idempotencyRow(key, "claimed_until = now() - interval '1 second'");
    assertThat(send(ingest(body).header("Idempotency-Key", key), 202).body()).isEqualTo(first);
    assertThat(json(send(ingest(body.replace("Login", "Logout")).header("Idempotency-Key", key), 409))
        .path("detail").path("type").asText()).isEqualTo("idempotency_key_reused");
    assertThat(send(ingest(body).header("Idempotency-Key", key), 202).body()).isEqualTo(first);

    List<String> values = TestGateway.readTopic(TOPIC).stream().map(r -> new String(r.value(), StandardCharsets.UTF_8))
        .filter(v -> v.contains(eventId)).toList();
    assertThat(values).hasSize(4);
    assertThat(values.subList(2, 4)).containsExactlyElementsOf(values.subList(0, 2));
  }

  /** Changes the stored reservation of {@code key} as a stopped gateway or a passing hour would. */
  private static void idempotencyRow(String key, String assignments) throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:"
        + TestGateway.SERVICES.postgres().port() + "/auditlog", "auditlog", TestGateway.SERVICES.postgres().password());
        PreparedStatement update = connection.prepareStatement("UPDATE idempotency_keys SET " + assignments
            + " WHERE key = ?")) {
      update.setString(1, key);
      assertThat(update.executeUpdate()).isEqualTo(1);
    }
  }

  @Test
  void aBatchWithOneBadElementPublishesNothing() throws Exception {
    int before = TestGateway.readTopic(TOPIC).size();
    JsonNode refused = json(send(ingest("[" + SampleEvents.seedJson() + ",{\"category\":\"half\"},"
        + SampleEvents.seedJson() + "]"), 422));
    assertThat(refused.path("detail").get(0).path("loc").get(1).asInt()).isEqualTo(1);
    send(ingest(SampleEvents.seedJson().toString()), 202);
    assertThat(TestGateway.readTopic(TOPIC)).hasSize(before + 1);
  }

  @Test
  void anEmptyBatchIsAcceptedWithNothingInIt() throws Exception {
    assertThat(send(ingest("[]"), 202).body()).isEqualTo("{\"event_id\":null,\"ids\":[],\"accepted\":0}");
  }

  @Test
  void refusesMissingOrUnknownAccessKeys() throws Exception {
    HttpRequest.Builder noKey = request("/audit/log").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(SampleEvents.seedJson().toString()));
    assertThat(detailMessage(send(noKey, 401))).isEqualTo("API Key is required.");
    HttpRequest.Builder badKey = request("/audit/log").header("api-key", UUID.randomUUID().toString())
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(SampleEvents.seedJson().toString()));
    assertThat(detailMessage(send(badKey, 401))).isEqualTo("Invalid API key.");
  }

  @Test
  void answersBadInputWithAClear4xx() throws Exception {
    HttpRequest.Builder text = request("/audit/log").header("api-key", accessKey)
        .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("hello"));
    send(text, 415);
    JsonNode invalid = json(send(ingest("{\"category\": 1}"), 422));
    assertThat(invalid.path("detail").get(0).path("loc").toString()).isEqualTo("[\"body\",\"category\"]");
    send(ingest("[" + String.join(",", Collections.nCopies(6, SampleEvents.seedJson().toString()))
        + "]"), 413);
    send(ingest("\"" + "x".repeat(70_000) + "\""), 413);
    send(request("/no/such/path").GET(), 404);
    send(request("/health").DELETE(), 405);
  }

  @Test
  void echoesTheCallersRequestId() throws Exception {
    HttpResponse<String> response = send(request("/openapi.json").header("X-Request-Id", "abc-123").GET(), 200);
    assertThat(response.headers().firstValue("X-Request-Id")).hasValue("abc-123");
  }
}
