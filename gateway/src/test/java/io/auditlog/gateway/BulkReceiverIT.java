package io.auditlog.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.model.EventCodec;
import io.auditlog.model.Json;
import io.auditlog.model.StampedEvent;
import io.auditlog.modsecurity.Samples;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The back-fill route {@code POST /rpc/auditLogReceiver/bulk}: a serial log, a truncated entry rejected on its own with
 * its offset, a re-post answered with duplicates, JSON lines, gzip, no entries, the limits, and the chunks published
 * to Kafka (at most 1,000 events per {@code event_id}, stages in file order).
 */
class BulkReceiverIT {

  private static final String TOPIC = "bulk-it-" + UUID.randomUUID();
  private static final String SERIAL = Samples.entry("S1") + Samples.entry("S2") + Samples.entry("S3");
  private static TestGateway gateway;
  private static String jwt;
  private static String token;

  @BeforeAll
  static void start() throws Exception {
    gateway = new TestGateway(Map.of("AUDIT_TOPIC", TOPIC, "AUDIT_MODSEC_BULK_IDLE_TIMEOUT", "4s"));
    jwt = gateway.login("admin", TestGateway.ADMIN_PASSWORD);
    token = TestGateway.expect(gateway.bearer("/users/tokens", jwt).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bulk\",\"permissions\":[\"ingest\"]}")), 201)
        .path("token").asText();
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  private static HttpResponse<String> post(TestGateway to, String sensor, byte[] body) throws Exception {
    String credentials = Base64.getEncoder().encodeToString((sensor + ":" + token).getBytes(StandardCharsets.UTF_8));
    return TestGateway.send(to.request("/rpc/auditLogReceiver/bulk?env=staging")
        .header("Authorization", "Basic " + credentials).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  private static JsonNode ok(String sensor, byte[] body) throws Exception {
    HttpResponse<String> answer = post(gateway, sensor, body);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return Json.MAPPER.readTree(answer.body());
  }

  private static List<String> ids(JsonNode answer) {
    List<String> ids = new ArrayList<>();
    answer.path("ids").forEach(id -> ids.add(id.asText()));
    return ids;
  }

  /** Posts a back-fill, checks that all its {@code count} entries were stored, and answers their ids in file order. */
  private static List<String> storedIds(String sensor, String log, int count) throws Exception {
    JsonNode answer = ok(sensor, Samples.bytes(log));
    assertThat(answer.path("stored").asInt()).as(answer.path("rejected").toString()).isEqualTo(count);
    return ids(answer);
  }

  /** The published events with these ids, by chunk ({@code event_id}). */
  private static Map<String, List<StampedEvent>> chunks(List<String> ids) {
    return published(ids).stream().collect(Collectors.groupingBy(StampedEvent::eventId));
  }

  /** The published events with these ids, in the order of the topic's partitions. */
  private static List<StampedEvent> published(Collection<String> ids) {
    EventCodec codec = new EventCodec();
    Set<String> wanted = Set.copyOf(ids);
    return TestGateway.readTopic(TOPIC).stream().map(r -> codec.decode(r.value()))
        .filter(e -> wanted.contains(e.id())).toList();
  }

  private static String uniqueId(StampedEvent event) {
    return event.event().metadata().orElseThrow().get(0).value().asText();
  }

  @Test
  void aSerialLogOfThreeEntriesIsThreeEventsAndARepostOnlyDuplicates() throws Exception {
    JsonNode first = ok("edge-serial", Samples.bytes(SERIAL));
    assertThat(first.path("entries").asInt()).isEqualTo(3);
    assertThat(first.path("stored").asInt()).isEqualTo(3);
    assertThat(first.path("duplicates").asInt()).isZero();
    assertThat(first.path("rejected")).isEmpty();
    List<StampedEvent> events = published(ids(first));
    assertThat(events).hasSize(3);
    assertThat(events).extracting(StampedEvent::eventId).containsOnly(events.get(0).eventId());
    assertThat(events.stream().collect(Collectors.toMap(BulkReceiverIT::uniqueId, StampedEvent::stage)))
        .isEqualTo(Map.of("Z9FSwn8AAQEAAB4rBgQAAAAA", 1, "Z9FS5X8AAQEAAB4rBgUAAAAB", 2,
            "174177466171.829364", 3));

    JsonNode again = ok("edge-serial", Samples.bytes(SERIAL));
    assertThat(again.path("entries").asInt()).isEqualTo(3);
    assertThat(again.path("stored").asInt()).isZero();
    assertThat(again.path("duplicates").asInt()).isEqualTo(3);
    assertThat(ids(again)).isEqualTo(ids(first));
    assertThat(published(ids(first))).hasSize(3);
  }

  @Test
  void aTruncatedEntryIsRejectedWithItsOffsetAndTheOthersAreStored() throws Exception {
    String s2 = Samples.entry("S2");
    String cut = s2.substring(0, s2.lastIndexOf('\n', s2.indexOf("-Z--")) + 1);
    String log = Samples.entry("S1") + cut + Samples.entry("S3");
    JsonNode answer = ok("edge-cut", Samples.bytes(log));
    assertThat(answer.path("entries").asInt()).isEqualTo(3);
    assertThat(answer.path("stored").asInt()).as(answer.toString()).isEqualTo(2);
    assertThat(answer.path("rejected")).hasSize(1);
    JsonNode rejected = answer.path("rejected").get(0);
    assertThat(rejected.path("entry").asInt()).isEqualTo(2);
    assertThat(rejected.path("offset").asLong()).isEqualTo(Samples.bytes(Samples.entry("S1")).length);
    assertThat(rejected.path("unique_id").asText()).isEqualTo("Z9FS5X8AAQEAAB4rBgUAAAAB");
    assertThat(rejected.path("type").asText()).isEqualTo("missing_z");
    assertThat(published(ids(answer))).extracting(BulkReceiverIT::uniqueId)
        .containsExactlyInAnyOrder("Z9FSwn8AAQEAAB4rBgQAAAAA", "174177466171.829364");
  }

  @Test
  void anEntryWithAControlCharacterInItsUniqueIdOrAnInvalidEventIsRejectedAlone() throws Exception {
    String log = Samples.entry("S1") + Samples.entry("S2").replace("Z9FS5X8AAQEAAB4rBgUAAAAB", "nul\u0000id")
        + new String(ReceiverIT.controlCharacters(), StandardCharsets.UTF_8) + Samples.entry("S3");
    JsonNode answer = ok("edge-nul", Samples.bytes(log));
    assertThat(answer.path("entries").asInt()).isEqualTo(4);
    assertThat(answer.path("rejected").get(0).path("entry").asInt()).isEqualTo(2);
    assertThat(answer.path("rejected").get(0).path("type").asText()).isEqualTo("invalid_unique_id");
    assertThat(answer.path("rejected")).allSatisfy(r -> assertThat(r.path("type").asText())
        .isIn("invalid_unique_id", "invalid_entry"));
    assertThat(answer.path("stored").asInt() + answer.path("rejected").size()).isEqualTo(4);
  }

  /** Starts {@code count} back-fills of the test's tenant that send the head of an entry and then nothing. */
  private static void stall(List<RawClient> stalled, String sensorPrefix, int count) throws Exception {
    for (int i = 0; i < count; i++) {
      String credentials = Base64.getEncoder().encodeToString((sensorPrefix + i + ":" + token)
          .getBytes(StandardCharsets.UTF_8));
      stalled.add(new RawClient("127.0.0.1", gateway).send("POST /rpc/auditLogReceiver/bulk HTTP/1.1\r\n"
          + "Host: gateway\r\nAuthorization: Basic " + credentials + "\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "f\r\n--aaaaaaaa-A--\n\r\n"));
    }
  }

  @Test
  void stalledBackFillsDelayNeitherAnotherNorKafkaCredentialsAndEndIn408() throws Exception {
    List<RawClient> stalled = new ArrayList<>();
    try {
      stall(stalled, "edge-slow-", 2);
      Thread.sleep(1_000);
      long start = System.nanoTime();
      assertThat(ok("edge-honest", Samples.bytes(Samples.entry("S1"))).path("entries").asInt()).isEqualTo(1);
      JsonNode issued = TestGateway.expect(gateway.bearer("/users/kafka-credentials", jwt)
          .POST(HttpRequest.BodyPublishers.noBody()), 201);
      TestGateway.expect(gateway.bearer("/users/kafka-credentials/" + issued.path("username").asText(), jwt)
          .DELETE(), 204);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
      for (RawClient client : stalled) {
        assertThat(client.status()).isEqualTo(408);
      }
    } finally {
      for (RawClient client : stalled) {
        client.close();
      }
    }
  }

  @Test
  void oneTenantsStalledBackFillsNeverHoldEveryThreadFromAnother() throws Exception {
    String password = "Bulk@Neighbour123";
    String neighbour = gateway.login(gateway.activeUser("bulkn" + UUID.randomUUID().toString().substring(0, 8),
        "example.com", password), password);
    String neighbourToken = TestGateway.expect(gateway.bearer("/users/tokens", neighbour)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bulk\",\"permissions\":[\"ingest\"]}")), 201)
        .path("token").asText();
    List<RawClient> stalled = new ArrayList<>();
    try {
      // More stalled back-fills than the pool has threads, all of one tenant.
      stall(stalled, "edge-stall-", 6);
      Thread.sleep(1_000);
      long start = System.nanoTime();
      String credentials = Base64.getEncoder().encodeToString(("edge-other:" + neighbourToken)
          .getBytes(StandardCharsets.UTF_8));
      HttpResponse<String> other = TestGateway.send(gateway.request("/rpc/auditLogReceiver/bulk?env=staging")
          .header("Authorization", "Basic " + credentials)
          .POST(HttpRequest.BodyPublishers.ofByteArray(Samples.bytes(Samples.entry("S1")))));
      assertThat(other.statusCode()).as(other.body()).isEqualTo(200);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    } finally {
      for (RawClient client : stalled) {
        client.close();
      }
    }
  }

  @Test
  void jsonLinesAndGzipAreRead() throws Exception {
    JsonNode json = ok("edge-json", Samples.bytes(Samples.entry("S4") + "\n"));
    assertThat(json.path("stored").asInt()).as(json.toString()).isEqualTo(1);
    assertThat(published(ids(json))).extracting(BulkReceiverIT::uniqueId).containsExactly("174177468935.112740");

    JsonNode gz = ok("edge-gzip", gzip(Samples.bytes(SERIAL)));
    assertThat(gz.path("stored").asInt()).as(gz.toString()).isEqualTo(3);
    assertThat(published(ids(gz))).hasSize(3);
  }

  @Test
  void aBodyWithoutEntriesIs422() throws Exception {
    HttpResponse<String> answer = post(gateway, "edge-empty", Samples.bytes("no audit log here\n"));
    assertThat(answer.statusCode()).isEqualTo(422);
    assertThat(Json.MAPPER.readTree(answer.body()).path("detail").path("type").asText()).isEqualTo("no_entries");
  }

  @Test
  void moreThanTheConfiguredBytesOrEntriesIs413() throws Exception {
    try (TestGateway small = new TestGateway(Map.of("AUDIT_TOPIC", TOPIC, "AUDIT_MODSEC_BULK_MAX_BYTES", "16384",
        "AUDIT_MODSEC_BULK_MAX_ENTRIES", "3"))) {
      String four = IntStream.range(0, 4).mapToObj(n -> Samples.renumbered("S2", n)).collect(Collectors.joining());
      assertThat(Samples.bytes(four).length).isLessThan(16384);
      HttpResponse<String> entries = post(small, "edge-limits", Samples.bytes(four));
      assertThat(entries.statusCode()).as(entries.body()).isEqualTo(413);
      assertThat(entries.body()).contains("payload_too_large");
      assertThat(post(small, "edge-limits", Samples.bytes(SERIAL)).statusCode()).isEqualTo(200);
      byte[] big = Samples.bytes(SERIAL.repeat(3));
      assertThat(big.length).isGreaterThan(16384);
      assertThat(post(small, "edge-limits", big).statusCode()).isEqualTo(413);
      HttpResponse<String> streamed = TestGateway.send(small.request("/rpc/auditLogReceiver/bulk")
          .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
              ("edge-limits:" + token).getBytes(StandardCharsets.UTF_8)))
          .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))));
      assertThat(streamed.statusCode()).as(streamed.body()).isEqualTo(413);
      byte[] inflating = gzip(Samples.bytes(SERIAL + "\n".repeat(20_000)));
      assertThat(inflating.length).isLessThan(16384);
      HttpResponse<String> decompressed = post(small, "edge-limits", inflating);
      assertThat(decompressed.statusCode()).as(decompressed.body()).isEqualTo(413);
    }
  }

  private static byte[] gzip(byte[] plain) throws Exception {
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
      gzip.write(plain);
    }
    return zipped.toByteArray();
  }

  @Test
  void entriesArePublishedInChunksOfAtMostAThousandWithStagesInFileOrder() throws Exception {
    int count = 2_100;
    String log = IntStream.range(0, count).mapToObj(n -> Samples.renumbered(List.of("S1", "S2", "S3").get(n % 3), n))
        .collect(Collectors.joining());
    List<String> ids = storedIds("edge-chunks", log, count);
    Map<String, List<StampedEvent>> chunks = chunks(ids);
    assertThat(chunks.values().stream().map(List::size).sorted().toList()).containsExactly(100, 1_000, 1_000);
    Map<String, StampedEvent> byId = published(ids).stream()
        .collect(Collectors.toMap(StampedEvent::id, e -> e));
    for (int n = 0; n < count; n++) {
      StampedEvent event = byId.get(ids.get(n));
      assertThat(event.stage()).isEqualTo(n % 1_000 + 1);
      assertThat(uniqueId(event)).endsWith("-" + n);
    }
    assertThat(byId.get(ids.get(0)).eventId()).isNotEqualTo(byId.get(ids.get(1_000)).eventId());
  }

  @Test
  void entriesOfLargeEventsArePublishedInChunksOfAtMostEightMebibytes() throws Exception {
    int count = 400;
    String body = "username=" + "b".repeat(40_000) + "&";
    String log = IntStream.range(0, count).mapToObj(n -> Samples.renumbered("S1", n).replace("username=", body))
        .collect(Collectors.joining());
    Map<String, List<StampedEvent>> chunks = chunks(storedIds("edge-large-chunks", log, count));
    assertThat(chunks).hasSizeGreaterThan(2);
    for (List<StampedEvent> chunk : chunks.values()) {
      List<Integer> sizes = chunk.stream().map(e -> Json.compactBytes(EventCodec.toBody(e.event()))).toList();
      int bytes = sizes.stream().mapToInt(Integer::intValue).sum();
      int largest = sizes.stream().mapToInt(Integer::intValue).max().orElseThrow();
      assertThat(bytes - largest).as("a chunk ends at the event that reaches 8 MiB").isLessThan(8 << 20);
      assertThat(chunk.stream().map(StampedEvent::stage).sorted().toList())
          .isEqualTo(IntStream.rangeClosed(1, chunk.size()).boxed().toList());
    }
  }

  /**
   * A back-fill ends at its time even when its body came at once: reading 20,000 entries takes longer than the 1 s it
   * is given here, and is stopped with a 408 at the next entry read past it.
   */
  @Test
  void aBackFillSlowerToReadThanItsTimeEndsIn408() throws Exception {
    String log = IntStream.range(0, 20_000).mapToObj(n -> Samples.renumbered("S3", n)).collect(Collectors.joining());
    byte[] body = gzip(Samples.bytes(log));
    try (TestGateway hurried = new TestGateway(Map.of("AUDIT_TOPIC", TOPIC, "AUDIT_MODSEC_BULK_TIMEOUT", "1s"))) {
      long start = System.nanoTime();
      HttpResponse<String> answer = post(hurried, "edge-hurried", body);
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(408);
      assertThat(answer.body()).contains("\"body_timeout\"");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    }
  }
}
