package io.auditlog.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.infra.ChildProcess;
import io.auditlog.model.Topics;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Producers writing straight to Kafka: good records become queryable, every bad one lands in the DLQ with a reason. */
class DirectProducerIT {

  private static final String EVENT = """
      {"category":"direct","source_information":{"application":"producer","environment":"prod"},
       "method":"PUT","status":"ok","level":"info",
       "event":{"name":"Sync","type":"Batch","total_duration":1.5,"affected_resources":2,"latency":0.1,
                "cpu_usage":0.2,"memory_usage":0.3},
       "actor":{"origin":"10.9.8.7"}}""";

  @Test
  void goodRecordsAreStoredAndBadOnesDeadLetteredWhileTheWorkerGoesOn() throws Exception {
    try (Cluster cluster = new Cluster()) {
      Cluster.Tenant tenant = cluster.newTenant();
      cluster.startWorker();
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(cluster.kafka().operatorProperties(),
          new StringSerializer(), new StringSerializer())) {
        send(producer, tenant.accessKey(), EVENT);
        send(producer, tenant.accessKey(), "[" + EVENT + "," + EVENT + "," + EVENT + "]");
        send(producer, tenant.accessKey(), "{not json");
        send(producer, tenant.accessKey(), EVENT.replace("\"status\":\"ok\"", "\"status\":200"));
        send(producer, null, EVENT);
        send(producer, UUID.randomUUID().toString(), EVENT);
        send(producer, tenant.accessKey(), EVENT.replace("Sync", "After"));
        producer.flush();
      }

      awaitStored(cluster, tenant.id(), 5);
      assertThat(cluster.storedEvents(tenant.id())).isEqualTo(5);

      HttpResponse<String> page = Cluster.HTTP.send(HttpRequest.newBuilder(URI.create(cluster.base
          + "/audit/log?category=direct&app=producer")).header("Authorization", "Bearer " + tenant.token()).build(),
          HttpResponse.BodyHandlers.ofString());
      JsonNode events = Cluster.JSON.readTree(page.body());
      assertThat(events).hasSize(5);
      assertThat(events.get(0).path("event").path("name").asText()).isEqualTo("After");
      assertThat(events.get(1).path("event").path("stage").asInt()).isEqualTo(3);

      List<ConsumerRecord<byte[], byte[]>> letters = deadLetters(cluster, 4);
      List<String> reasons = letters.stream().map(r -> new String(r.headers().lastHeader(Topics.REASON_HEADER)
          .value(), StandardCharsets.UTF_8)).toList();
      assertThat(reasons).hasSize(4);
      assertThat(reasons).filteredOn(r -> r.startsWith("invalid event:")).hasSize(2);
      assertThat(reasons).contains("missing api-key header", "invalid api-key");
      assertThat(letters).allSatisfy(r -> assertThat(r.headers().lastHeader(Topics.API_KEY_HEADER)).isNull());
    }
  }

  /**
   * Records that a producer stamped with one and the same time, spread over every partition and more of them per
   * partition than one millisecond's slot holds, with a worker killed in between: every event is stored, each with
   * its own point and trail entry. The ingress topic is switched to producer times (as an operator may create it) so
   * that the times really are equal.
   */
  @Test
  void recordsOfOneMillisecondOnEveryPartitionNeverOverwriteEachOtherAcrossAWorkerCrash() throws Exception {
    try (Cluster cluster = new Cluster()) {
      Cluster.Tenant tenant = cluster.newTenant();
      try (Admin admin = Admin.create(cluster.kafka().operatorProperties())) {
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.INGRESS);
        admin.incrementalAlterConfigs(Map.of(topic, List.of(new AlterConfigOp(new ConfigEntry(
            TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "CreateTime"), AlterConfigOp.OpType.SET)))).all().get();
      }
      long millis = System.currentTimeMillis() - 60_000;
      String pair = "[" + EVENT + "," + EVENT + "]";
      ChildProcess worker = cluster.startWorker();
      int perPartition = 300;
      sendToEveryPartition(cluster, tenant.accessKey(), pair, millis, perPartition);
      awaitStored(cluster, tenant.id(), 6L * perPartition * 2);
      worker.kill();
      sendToEveryPartition(cluster, tenant.accessKey(), pair, millis, perPartition);
      cluster.startWorker();
      awaitStored(cluster, tenant.id(), 6L * perPartition * 4);

      assertThat(cluster.storedEvents(tenant.id())).as(cluster::describe).isEqualTo(6L * perPartition * 4);
      assertThat(cluster.trailEntries(tenant.id())).isEqualTo(6L * perPartition * 4);
    }
  }

  private static void sendToEveryPartition(Cluster cluster, String apiKey, String value, long millis, int count) {
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(cluster.kafka().operatorProperties(),
        new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < count; i++) {
        for (int partition = 0; partition < 6; partition++) {
          ProducerRecord<String, String> record = new ProducerRecord<>(Topics.INGRESS, partition, millis,
              "producer-" + partition, value);
          record.headers().add(Topics.API_KEY_HEADER, apiKey.getBytes(StandardCharsets.UTF_8));
          producer.send(record);
        }
      }
      producer.flush();
    }
  }

  private static void awaitStored(Cluster cluster, String tenant, long expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (cluster.storedEvents(tenant) < expected && System.nanoTime() < deadline) {
      Thread.sleep(300);
    }
    Thread.sleep(1_000);
  }

  private static void send(KafkaProducer<String, String> producer, String apiKey, String value) {
    ProducerRecord<String, String> record = new ProducerRecord<>(Topics.INGRESS, "producer", value);
    if (apiKey != null) {
      record.headers().add(Topics.API_KEY_HEADER, apiKey.getBytes(StandardCharsets.UTF_8));
    }
    producer.send(record);
  }

  private static List<ConsumerRecord<byte[], byte[]>> deadLetters(Cluster cluster, int expected) {
    Map<String, Object> properties = new HashMap<>(cluster.kafka().operatorProperties());
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + UUID.randomUUID());
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(Topics.DEAD_LETTERS));
      List<ConsumerRecord<byte[], byte[]>> letters = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (letters.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(300)).forEach(letters::add);
      }
      return letters;
    }
  }
}
