package io.auditlog.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.model.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retention on the real stack (the history's contract, §8): with {@code AUDIT_RETENTION=1h}, events stamped three
 * hours ago (a producer writing to the ingress topic, switched to producer times as an operator may, so that old
 * events can arrive) are recorded as past retention in their tenant's tree, then deleted from InfluxDB; the export
 * still verifies, their lines redacted and explained by the retention record; an old event arriving afterwards is
 * dead-lettered with its reason and never stored; recent events are kept.
 */
class RetentionIT {

  private static final int OLD = 20;

  @TempDir
  Path dir;

  @Test
  void eventsPastRetentionAreRecordedThenDeletedAndTheExportStillVerifies() throws Exception {
    try (Cluster cluster = new Cluster(Map.of(), Map.of("AUDIT_RETENTION", "1h", "AUDIT_RETENTION_INTERVAL", "1s"))) {
      Cluster.Tenant tenant = cluster.newTenant();
      try (Admin admin = Admin.create(cluster.kafka().operatorProperties())) {
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.INGRESS);
        admin.incrementalAlterConfigs(Map.of(topic, List.of(new AlterConfigOp(new ConfigEntry(
            TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "CreateTime"), AlterConfigOp.OpType.SET)))).all().get();
      }
      long threeHoursAgo = System.currentTimeMillis() - Duration.ofHours(3).toMillis();
      JsonNode credential = cluster.kafkaCredential(tenant);
      // All in one partition before the worker starts: one batch, placed before any retention record exists.
      send(credential, tenant.accessKey(), threeHoursAgo, OLD);
      cluster.startWorker();

      HistoryClient history = new HistoryClient(cluster, tenant);
      history.awaitCheckpoint(OLD + 1, Duration.ofSeconds(60));
      awaitStored(cluster, tenant.id(), 0);

      EventStream stream = new EventStream(cluster.base, List.of(tenant), 2, 5, 0).start();
      stream.await();
      assertThat(stream.refused.get()).isZero();
      awaitStored(cluster, tenant.id(), 10);
      history.awaitCheckpoint(OLD + 1 + 10, Duration.ofSeconds(30));

      send(credential, tenant.accessKey(), threeHoursAgo, 1);
      List<ConsumerRecord<byte[], byte[]>> letters = DirectProducerIT.deadLetters(cluster, 1);
      assertThat(letters).singleElement().satisfies(letter -> assertThat(new String(letter.headers()
          .lastHeader(Topics.REASON_HEADER).value(), StandardCharsets.UTF_8)).contains("past retention"));

      Path export = history.export(dir.resolve("retained.ndjson"), "");
      HistoryClient.Verdict verdict = history.verify(export);
      assertThat(verdict.exit()).as(verdict.output()).isZero();
      assertThat(verdict.output()).contains("10 events, 1 erasure records, " + OLD + " redacted", "missing 0",
          "RESULT: OK");
      JsonNode record = Cluster.JSON.readTree(Files.readAllLines(export).stream()
          .filter(line -> line.contains("\"type\":\"erasure\"")).findFirst().orElseThrow()).path("record");
      assertThat(record.path("reason").asText()).isEqualTo("retention");
      assertThat(record.path("actor").path("system").asText()).isEqualTo("retention");
      assertThat(record.path("before").asText()).endsWith(":00:00.000000000Z");
      assertThat(record.has("erased")).isFalse();

      Thread.sleep(2_000);
      assertThat(cluster.storedEvents(tenant.id())).as("nothing past retention comes back").isEqualTo(10);
      assertThat(history.checkpoint().size()).as("the late event got no leaf, and no second record was needed")
          .isEqualTo(OLD + 1 + 10);
    }
  }

  private static void send(JsonNode credential, String apiKey, long millis, int count) {
    try (KafkaProducer<String, String> producer = DirectProducerIT.producer(credential)) {
      for (int i = 0; i < count; i++) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.INGRESS, 0, millis, "producer",
            DirectProducerIT.EVENT);
        record.headers().add(Topics.API_KEY_HEADER, apiKey.getBytes(StandardCharsets.UTF_8));
        producer.send(record);
      }
      producer.flush();
    }
  }

  private static void awaitStored(Cluster cluster, String tenant, long events) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (cluster.storedEvents(tenant) != events && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertThat(cluster.storedEvents(tenant)).as(cluster::describe).isEqualTo(events);
  }
}
