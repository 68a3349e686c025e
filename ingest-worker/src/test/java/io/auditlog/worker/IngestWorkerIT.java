package io.auditlog.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.infra.BackingServices;
import io.auditlog.infra.KafkaProvisioning;
import io.auditlog.infra.KafkaUsers;
import io.auditlog.infra.ServiceAcls;
import io.auditlog.infra.Ports;
import io.auditlog.infra.Secrets;
import io.auditlog.model.EventCodec;
import io.auditlog.model.InfluxNames;
import io.auditlog.model.Json;
import io.auditlog.model.SampleEvents;
import io.auditlog.model.StampedEvent;
import io.auditlog.model.Topics;
import io.auditlog.web.Metrics;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The worker against a real Kafka broker and a real InfluxDB: stores, dead-letters, commits only what it stored. */
class IngestWorkerIT {

  private static final BackingServices SERVICES = BackingServices.forTests();
  private static final String TLOG_SECRET = Secrets.generate();
  private static final AtomicLong TENANTS = new AtomicLong(System.currentTimeMillis() % 1_000_000 * 1000);
  private final HttpClient http = HttpClient.newHttpClient();
  private final String topic = "events-" + UUID.randomUUID();
  private final String dlq = "dlq-" + UUID.randomUUID();
  private final String group = "group-" + UUID.randomUUID();
  private Vertx vertx;
  private int httpPort;

  @BeforeEach
  void start() throws Exception {
    String ingress = "ingress-" + UUID.randomUUID();
    try (Admin admin = Admin.create(SERVICES.kafka().operatorProperties())) {
      admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1), new NewTopic(dlq, 1, (short) 1))).all()
          .get(30, TimeUnit.SECONDS);
    }
    KafkaProvisioning.grant(SERVICES.kafka(), ServiceAcls.worker(KafkaUsers.WORKER, topic, ingress, dlq, group));
    httpPort = Ports.free();
    WorkerConfig config = new WorkerConfig("127.0.0.1", httpPort, SERVICES.kafka().bootstrapServers(),
        SERVICES.kafka().users().worker(), topic, ingress, dlq, group, SERVICES.influx().url(),
        SERVICES.influxAccess().writer(), 500, 4 << 20, Duration.ofMillis(50), 2, 4,
        Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(10),
        new WorkerConfig.Accounts(jdbcUrl(), "auditlog", SERVICES.postgres().password(), Duration.ofSeconds(5), 1000,
            Duration.ofSeconds(30), true),
        new WorkerConfig.History(true, "audit.example.com", TLOG_SECRET, Duration.ofSeconds(1), Duration.ofDays(7),
            Duration.ofDays(30)), PausePoint.Point.NONE);
    Metrics metrics = new Metrics();
    vertx = metrics.vertx();
    vertx.deployVerticle(new WorkerVerticle(config, metrics)).toCompletionStage().toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Test
  void storesEveryEventOnceDeadLettersGarbageAndCommitsAfterTheWrite() throws Exception {
    String tenant = Long.toString(TENANTS.incrementAndGet());
    SERVICES.influx().provision(SERVICES.influxAccess().provisioning(), tenant);
    List<StampedEvent> events = SampleEvents.stamped(tenant, 300);
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(SERVICES.kafka().operatorProperties(),
        new StringSerializer(), new ByteArraySerializer())) {
      EventCodec codec = new EventCodec();
      for (StampedEvent event : events) {
        producer.send(idempotent(new ProducerRecord<>(topic, tenant, codec.encode(event))));
      }
      // The same events again, as a retry under the same idempotency key publishes them: not counted twice.
      for (StampedEvent event : events.subList(0, 50)) {
        producer.send(idempotent(new ProducerRecord<>(topic, tenant, codec.encode(event))));
      }
      producer.send(new ProducerRecord<>(topic, tenant, "not json".getBytes(StandardCharsets.UTF_8)));
      producer.flush();
    }

    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    long stored = 0;
    while (System.nanoTime() < deadline && stored < events.size()) {
      stored = count(InfluxNames.database(tenant));
      Thread.sleep(200);
    }
    Thread.sleep(500);
    assertThat(count(InfluxNames.database(tenant))).isEqualTo(events.size());

    List<String> reasons = deadLetterReasons(1);
    assertThat(reasons).singleElement().asString().startsWith("invalid event:");

    String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
    assertThat(metrics).contains("auditlog_events_consumed_total 351.0", "auditlog_events_dead_lettered_total 1.0");
    assertThat(committedOffsets()).isEqualTo(351);
    assertThat(TreeOfPoints.read(SERVICES, jdbcUrl(), tenant).verifiedSize()).isEqualTo(300);
  }

  @Test
  void eachStoredEventCarriesTheLeafItsTreeCommitsToAndATenantThatIsNoAccountIsRefused() throws Exception {
    String tenant = Long.toString(TENANTS.incrementAndGet());
    SERVICES.influx().provision(SERVICES.influxAccess().provisioning(), tenant);
    List<StampedEvent> events = new ArrayList<>(SampleEvents.stamped(tenant, 40));
    events.addAll(SampleEvents.varied(tenant));
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(SERVICES.kafka().operatorProperties(),
        new StringSerializer(), new ByteArraySerializer())) {
      EventCodec codec = new EventCodec();
      for (StampedEvent event : events) {
        producer.send(new ProducerRecord<>(topic, tenant, codec.encode(event)));
      }
      StampedEvent stranger = SampleEvents.stamped("tenant-x", 1).get(0);
      producer.send(new ProducerRecord<>(topic, "tenant-x", codec.encode(stranger)));
      // A lone surrogate, which JSON can carry and RFC 8785 cannot: refused when decoded, so no leaf is made for it.
      ObjectNode lone = (ObjectNode) Json.MAPPER.readTree(codec.encode(SampleEvents.stamped(tenant, 1).get(0)));
      ((ObjectNode) lone.get("event")).put("description", "LONE");
      producer.send(new ProducerRecord<>(topic, tenant, lone.toString().replace("LONE", "half \\ud800")
          .getBytes(StandardCharsets.UTF_8)));
      // An id the leaf cannot hold as written (a UUID in a short spelling): no leaf, so it is not stored.
      StampedEvent seed = SampleEvents.stamped(tenant, 1).get(0);
      producer.send(new ProducerRecord<>(topic, tenant, codec.encode(new StampedEvent(tenant, "1-1-1-1-1",
          seed.eventId(), seed.timestampNanos(), seed.stage(), seed.event(), seed.salt()))));
      producer.flush();
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline && count(InfluxNames.database(tenant)) < events.size()) {
      Thread.sleep(200);
    }
    TreeOfPoints tree = TreeOfPoints.read(SERVICES, jdbcUrl(), tenant);
    assertThat(tree.verifiedSize()).isEqualTo(events.size());
    assertThat(deadLetterReasons(3)).hasSize(3).contains("tenant is not an account id")
        .anySatisfy(reason -> assertThat(reason).startsWith("invalid event").contains("lone surrogate"))
        .anySatisfy(reason -> assertThat(reason).startsWith("an event has no leaf").contains("canonical form"));
    assertThat(count(InfluxNames.database(tenant))).isEqualTo(events.size());
  }

  @Test
  void aTenantListedWithEightTagsIsWrittenWithEightAndEveryOtherWithFour() throws Exception {
    String listed = Long.toString(TENANTS.incrementAndGet());
    String later = Long.toString(TENANTS.incrementAndGet());
    try (Connection connection = DriverManager.getConnection(jdbcUrl(), "auditlog", SERVICES.postgres().password());
        PreparedStatement statement = connection.prepareStatement(
            "INSERT INTO eight_tag_tenants (tenant) VALUES (?)")) {
      statement.setLong(1, Long.parseLong(listed));
      statement.executeUpdate();
    }
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(SERVICES.kafka().operatorProperties(),
        new StringSerializer(), new ByteArraySerializer())) {
      EventCodec codec = new EventCodec();
      for (String tenant : List.of(listed, later)) {
        SERVICES.influx().provision(SERVICES.influxAccess().provisioning(), tenant);
        for (StampedEvent event : SampleEvents.stamped(tenant, 20)) {
          producer.send(new ProducerRecord<>(topic, tenant, codec.encode(event)));
        }
      }
      producer.flush();
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline && count(InfluxNames.database(listed)) + count(InfluxNames.database(later))
        < 40) {
      Thread.sleep(200);
    }
    assertThat(tagKeys(listed)).containsExactly("app", "env", "event_name", "event_type", "level", "method",
        "resource_type", "status");
    assertThat(tagKeys(later)).containsExactly("app", "env", "level", "status");
    assertThat(TreeOfPoints.read(SERVICES, jdbcUrl(), later).verifiedSize()).isEqualTo(20);
  }

  /** The tag keys of the tenant's events' category, as InfluxDB lists them. */
  private static List<String> tagKeys(String tenant) {
    List<String> keys = new ArrayList<>();
    for (JsonNode row : SERVICES.influx().query(InfluxNames.database(tenant),
        "SHOW TAG KEYS FROM \"event_name\"").path("results").path(0).path("series").path(0).path("values")) {
      keys.add(row.path(0).asText());
    }
    return keys;
  }

  private static ProducerRecord<String, byte[]> idempotent(ProducerRecord<String, byte[]> record) {
    record.headers().add(Topics.IDEMPOTENT_HEADER, new byte[] {'1'});
    return record;
  }

  private static String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + SERVICES.postgres().port() + "/auditlog";
  }

  private long count(String database) {
    JsonNode series = SERVICES.influx().query(database, "SELECT count(\"id\") FROM /.*/")
        .path("results").path(0).path("series");
    long total = 0;
    for (JsonNode s : series) {
      total += s.path("values").path(0).path(1).asLong();
    }
    return total;
  }

  private List<String> deadLetterReasons(int expected) {
    Map<String, Object> properties = new HashMap<>(SERVICES.kafka().operatorProperties());
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + UUID.randomUUID());
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(dlq));
      List<String> reasons = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (reasons.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(r -> reasons.add(new String(
            r.headers().lastHeader(Topics.REASON_HEADER).value(), StandardCharsets.UTF_8)));
      }
      return reasons;
    }
  }

  private long committedOffsets() throws Exception {
    try (Admin admin = Admin.create(SERVICES.kafka().operatorProperties())) {
      Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
      return offsets.entrySet().stream().filter(e -> Set.of(topic).contains(e.getKey().topic()))
          .mapToLong(e -> e.getValue().offset()).sum();
    }
  }
}
