package io.auditlog.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditlog.infra.BackingServices;
import io.auditlog.infra.KafkaProvisioning;
import io.auditlog.infra.KafkaUsers;
import io.auditlog.infra.ServiceAcls;
import io.auditlog.model.InfluxCredential;
import io.auditlog.model.RecordStamper;
import io.auditlog.model.SampleEvents;
import io.auditlog.model.StampedEvent;
import io.auditlog.model.Topics;
import io.auditlog.store.EventSink;
import io.auditlog.store.TagShape;
import io.auditlog.tlog.PgLogin;
import io.auditlog.tlog.SaltDerivation;
import io.auditlog.tlog.Sequencer;
import io.auditlog.tlog.TlogSchema;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The history and store stages against a real PostgreSQL and Kafka: what a tenant's failed placement does to its later
 * parts, and where a replayed record without a leaf goes.
 */
class BatchWriterIT {

  private static final BackingServices SERVICES = BackingServices.forTests();
  private static final String INGRESS = "ingress";
  private static final long MILLIS = 1_790_000_000_000L;
  private static final AtomicLong TENANTS = new AtomicLong(System.currentTimeMillis() % 1_000_000 * 1000 + 500);

  private final String dlq = "dlq-" + UUID.randomUUID();
  private final List<String> written = new ArrayList<>();
  private final EventSink sink = (database, lines) -> {
    synchronized (written) {
      written.addAll(lines);
    }
    return List.of();
  };

  /**
   * A replayed record that is not the one placed fails its part; the tenant's next part, dispatched after it, must
   * not be placed either: it would move the partition's watermark past the failed part's records.
   */
  @Test
  void aPartThatFailsToBePlacedFailsTheTenantsLaterPartsAndNothingOfThemIsPlacedOrWritten() throws Exception {
    try (Stages stages = new Stages()) {
      String tenant = stages.newTenant();
      assertThat(stages.writer.store(stages.batch(tenant, 5, MILLIS)).get(30, TimeUnit.SECONDS)).isEqualTo(1);
      int writtenOnce = written.size();

      CompletableFuture<Integer> differs = stages.writer.store(stages.batch(tenant, 5, MILLIS + 3));
      CompletableFuture<Integer> next = stages.writer.store(stages.batch(tenant, 6, MILLIS + 4));
      assertThatThrownBy(() -> differs.get(30, TimeUnit.SECONDS))
          .hasMessageContaining("ingress/0@5 read again is not the one placed at seq 0");
      assertThatThrownBy(() -> next.get(30, TimeUnit.SECONDS))
          .hasMessageContaining("ingress/0@5 read again is not the one placed at seq 0");
      assertThat(stages.treeSize(tenant)).as("the next part was not placed").isEqualTo(1);
      assertThat(written).hasSize(writtenOnce);
    }
  }

  /** Below the watermark a record can no longer get a leaf: it goes to the dead letters, never nowhere. */
  @Test
  void aRecordReadAgainBelowItsWatermarkWithNoLeafIsDeadLetteredNotDropped() throws Exception {
    try (Stages stages = new Stages()) {
      String tenant = stages.newTenant();
      assertThat(stages.writer.store(stages.batch(tenant, 7, MILLIS)).get(30, TimeUnit.SECONDS)).isEqualTo(1);
      assertThat(stages.writer.store(stages.batch(tenant, 6, MILLIS + 1)).get(30, TimeUnit.SECONDS)).isZero();
      assertThat(stages.treeSize(tenant)).isEqualTo(1);
      assertThat(deadLetters()).containsExactly("ingress/0/6: " + HistoryStage.UNPLACED_REPLAY);
    }
  }

  /** The worker's stages on the real PostgreSQL and Kafka, with the history on and a sink that keeps the lines. */
  private final class Stages implements AutoCloseable {
    private final PgLogin login;
    private final HistoryStage history;
    private final DeadLetters deadLetters;
    private final BatchWriter writer;

    Stages() throws Exception {
      try (Admin admin = Admin.create(SERVICES.kafka().operatorProperties())) {
        admin.createTopics(List.of(new NewTopic(dlq, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
      }
      KafkaProvisioning.grant(SERVICES.kafka(), ServiceAcls.worker(KafkaUsers.WORKER, "events", INGRESS, dlq,
          "group"));
      WorkerConfig config = config();
      login = config.accounts().login();
      TlogSchema.migrate(login);
      history = HistoryStage.on(new Sequencer("audit.example.com"), new SaltDerivation(new byte[32]), login, INGRESS);
      deadLetters = new DeadLetters(SERVICES.kafka().bootstrapServers(), SERVICES.kafka().users().worker(), dlq);
      writer = new BatchWriter(sink, history, ChangedHours.none(), TenantShapes.all(TagShape.FOUR_TAGS), deadLetters,
          new WorkerMetrics(new SimpleMeterRegistry()), config, () -> false);
    }

    String newTenant() {
      return Long.toString(TENANTS.incrementAndGet());
    }

    /** One record of the tenant at {@code offset} in the ingress topic, its one event stamped at {@code millis}. */
    DecodedBatch batch(String tenant, long offset, long millis) {
      ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>(INGRESS, 0, offset, millis,
          TimestampType.LOG_APPEND_TIME, 0, 0, null, new byte[0], new RecordHeaders(), Optional.empty());
      List<StampedEvent> events = new RecordStamper(INGRESS, 0, 0).stamp(tenant, offset, millis,
          List.of(SampleEvents.seed()));
      DecodedBatch batch = new DecodedBatch();
      batch.add(record, events, history.leaves(record, events));
      batch.covers(record, "");
      return batch;
    }

    long treeSize(String tenant) throws Exception {
      try (Connection connection = login.connect(); PreparedStatement select = connection.prepareStatement(
          "SELECT size FROM tlog_trees WHERE tenant = ?")) {
        select.setLong(1, Long.parseLong(tenant));
        try (ResultSet row = select.executeQuery()) {
          assertThat(row.next()).isTrue();
          return row.getLong(1);
        }
      }
    }

    @Override
    public void close() {
      writer.close();
      deadLetters.close();
      history.close();
    }
  }

  /** The dead letters' sources and reasons, as "source: reason". */
  private List<String> deadLetters() {
    Map<String, Object> properties = new HashMap<>(SERVICES.kafka().operatorProperties());
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + UUID.randomUUID());
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<String> letters = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(dlq));
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (letters.isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(r -> letters.add(header(r, "dlq-source") + ": "
            + header(r, Topics.REASON_HEADER)));
      }
      consumer.poll(Duration.ofSeconds(1)).forEach(r -> letters.add(header(r, "dlq-source") + ": "
          + header(r, Topics.REASON_HEADER)));
    }
    return letters;
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  private WorkerConfig config() {
    return new WorkerConfig("127.0.0.1", 0, SERVICES.kafka().bootstrapServers(), SERVICES.kafka().users().worker(),
        "events", INGRESS, dlq, "group", SERVICES.influx().url(), new InfluxCredential("audit_writer", "unused"),
        500, 4 << 20, Duration.ZERO, 2, 4, Duration.ofSeconds(1), Duration.ofMillis(100), Duration.ofSeconds(10),
        new WorkerConfig.Accounts("jdbc:postgresql://127.0.0.1:" + SERVICES.postgres().port() + "/auditlog",
            "auditlog", SERVICES.postgres().password(), Duration.ofSeconds(5), 1000, Duration.ofSeconds(30), true),
        new WorkerConfig.History(true, "audit.example.com", "", Duration.ofSeconds(1), Duration.ofDays(7),
            Duration.ofDays(30)), PausePoint.Point.NONE);
  }
}
