package io.auditlog.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.infra.ChildProcess;
import io.auditlog.infra.KafkaProvisioning;
import io.auditlog.model.Topics;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Producers writing straight to Kafka with a credential issued by the API: good records become queryable, every bad
 * one lands in the DLQ with a reason; the credential writes the ingress topic and nothing else, and stops working
 * when revoked.
 */
class DirectProducerIT {

  static final String EVENT = """
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
      JsonNode credential = cluster.kafkaCredential(tenant);
      try (KafkaProducer<String, String> producer = producer(credential)) {
        send(producer, tenant.accessKey(), EVENT);
        send(producer, tenant.accessKey(), "[" + EVENT + "," + EVENT + "," + EVENT + "]");
        send(producer, tenant.accessKey(), "{not json");
        send(producer, tenant.accessKey(), EVENT.replace("\"status\":\"ok\"", "\"status\":200"));
        send(producer, null, EVENT);
        send(producer, UUID.randomUUID().toString(), EVENT);
        // Poison: a record of almost the broker's limit, and one whose reasons alone run to megabytes.
        send(producer, null, "x".repeat(1_000_000));
        send(producer, tenant.accessKey(), "[" + String.join(",", java.util.Collections.nCopies(1000,
            EVENT.replace("{\"category\"", "{" + unknownKeys(40) + "\"category\""))) + "]");
        // A reason of the producer's own, which must not pass for the worker's.
        ProducerRecord<String, String> forged = new ProducerRecord<>(Topics.INGRESS, "producer", "{not json");
        forged.headers().add(Topics.API_KEY_HEADER, tenant.accessKey().getBytes(StandardCharsets.UTF_8));
        forged.headers().add(Topics.REASON_HEADER, "forged".getBytes(StandardCharsets.UTF_8));
        forged.headers().add("dlq-source", "forged".getBytes(StandardCharsets.UTF_8));
        forged.headers().add("Dlq-Reason", "forged".getBytes(StandardCharsets.UTF_8));
        forged.headers().add("dlq_source", "forged".getBytes(StandardCharsets.UTF_8));
        producer.send(forged);
        // A field name with a line break: the reason quotes it, and must not break a reader's line with it.
        send(producer, tenant.accessKey(), EVENT.replace("{\"category\"", "{\"a\\nforged: line\":0,\"category\""));
        producer.flush();
      }
      // A key of 3 MB, which zstd makes small enough for the broker: the dead letter cannot carry it either.
      Map<String, Object> large = Cluster.producerProperties(credential);
      large.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
      large.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 << 20);
      large.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L << 20);
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(large, new StringSerializer(),
          new StringSerializer())) {
        producer.send(new ProducerRecord<>(Topics.INGRESS, "k".repeat(3_000_000), EVENT)).get();
      }
      try (KafkaProducer<String, String> producer = producer(credential)) {
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

      List<ConsumerRecord<byte[], byte[]>> letters = deadLetters(cluster, 9);
      List<String> reasons = letters.stream().map(r -> new String(r.headers().lastHeader(Topics.REASON_HEADER)
          .value(), StandardCharsets.UTF_8)).toList();
      assertThat(reasons).hasSize(9);
      assertThat(reasons).filteredOn(r -> r.startsWith("invalid event:")).hasSize(5);
      assertThat(reasons).noneMatch(r -> r.chars().anyMatch(Character::isISOControl))
          .anySatisfy(r -> assertThat(r).contains("a\\u000aforged: line"));
      assertThat(letters).allSatisfy(r -> assertThat(r.headers().headers(Topics.REASON_HEADER)).hasSize(1))
          .allSatisfy(r -> assertThat(r.headers().toArray()).noneMatch(h -> h.key().equalsIgnoreCase("dlq_source")
              || h.key().equals("Dlq-Reason")))
          .allSatisfy(r -> assertThat(r.headers().headers("dlq-source")).singleElement()
              .satisfies(h -> assertThat(new String(h.value(), StandardCharsets.UTF_8)).startsWith(Topics.INGRESS)));
      assertThat(letters).filteredOn(r -> r.value() == null).singleElement().satisfies(r -> {
        assertThat(r.key()).as("the 3 MB key is not in its letter").isNull();
        assertThat(new String(r.headers().lastHeader(Topics.REASON_HEADER).value(), StandardCharsets.UTF_8))
            .contains("too large to dead-letter");
      });
      assertThat(reasons).contains("missing api-key header", "invalid api-key");
      assertThat(reasons).allSatisfy(r -> assertThat(r.length()).isLessThanOrEqualTo(1_200));
      assertThat(letters).allSatisfy(r -> assertThat(r.headers().lastHeader(Topics.API_KEY_HEADER)).isNull());
    }
  }

  /**
   * Records too large to keep, between good records of one partition: one whose value decompresses to more than the
   * worker's heap (200 MiB of zstd, a few KiB on the wire, which the broker's limit on compressed batches lets
   * through), a 100 MiB value and a 100 MiB header, each of which fits the heap once but not twice, and 3 MiB of
   * empty objects, two million tokens, whose tree would fill the heap. Every poll of such a partition used to
   * run out of heap, or its decoding did, so the worker died on each start and nothing after the record was stored.
   * Now each is dead-lettered once as a reference (the last, refused for its tokens, is too large to dead-letter
   * whole), the records on both sides are stored, the worker goes on, its offsets are committed past them (a new
   * worker writes no second letter), and the history verifies.
   */
  @Test
  void recordsTooLargeForTheWorkerAreDeadLetteredOnceAsReferencesAndTheWorkerGoesOn(@TempDir Path dir)
      throws Exception {
    try (Cluster cluster = new Cluster()) {
      Cluster.Tenant tenant = cluster.newTenant();
      ChildProcess worker = cluster.startWorker(Map.of("AUDIT_KAFKA_SESSION_TIMEOUT", "6s"), "160m");
      JsonNode credential = cluster.kafkaCredential(tenant);
      sendToFirstPartition(credential, tenant.accessKey(), EVENT.replace("Sync", "Before"));
      long unreadable = sendLarge(credential, tenant.accessKey(), 200 << 20, 0);
      long tooLarge = sendLarge(credential, tenant.accessKey(), 100 << 20, 0);
      long largeHeader = sendLarge(credential, tenant.accessKey(), 0, 100 << 20);
      long manyTokens = sendDocument(credential, tenant.accessKey(), "[" + "{},".repeat(1_000_000) + "{}]");
      sendToFirstPartition(credential, tenant.accessKey(), EVENT.replace("Sync", "After"));

      awaitStored(cluster, tenant.id(), 6);
      assertThat(cluster.storedEvents(tenant.id())).isEqualTo(6);
      assertThat(worker.isAlive()).as(() -> worker.tail(40)).isTrue();
      Map<String, String> reasons = reasonsByPlace(deadLetters(cluster, 4));
      assertThat(reasons).containsOnlyKeys(Topics.INGRESS + "/0/" + unreadable, Topics.INGRESS + "/0/" + tooLarge,
          Topics.INGRESS + "/0/" + largeHeader, Topics.INGRESS + "/0/" + manyTokens);
      assertThat(reasons.get(Topics.INGRESS + "/0/" + manyTokens)).contains("exceeds the maximum allowed");
      assertThat(reasons.get(Topics.INGRESS + "/0/" + unreadable)).contains("ran out of the worker's heap");
      // Read whole or not, depending on the heap's room: either way the value or header is never copied out of it.
      assertThat(List.of(reasons.get(Topics.INGRESS + "/0/" + tooLarge), reasons.get(Topics.INGRESS + "/0/"
          + largeHeader))).allSatisfy(reason -> assertThat(reason).containsAnyOf("larger than an ingress record may be",
              "ran out of the worker's heap"));

      // Committed past them: a new worker reads none of them again.
      worker.stop(Duration.ofSeconds(20));
      cluster.startWorker(Map.of("AUDIT_KAFKA_SESSION_TIMEOUT", "6s"), "160m");
      sendToFirstPartition(credential, tenant.accessKey(), EVENT.replace("Sync", "Later"));
      awaitStored(cluster, tenant.id(), 9);
      assertThat(deadLetters(cluster, 5)).hasSize(4);
      HistoryClient history = new HistoryClient(cluster, tenant);
      history.awaitCheckpoint(9, Duration.ofSeconds(30));
      HistoryClient.Verdict verdict = history.verify(history.export(dir.resolve("history.ndjson"), ""));
      assertThat(verdict.exit()).as(verdict.output()).isZero();
      assertThat(verdict.output()).contains("present 9, redacted 0, missing 0", "RESULT: OK");
    }
  }

  /**
   * Large records in a row behind a backlog, read by a worker that starts after them: the group's consumer, and then a
   * consumer reading one record at a time, each still holds a record of 70 MiB when reading the next one runs out of
   * the 160 MiB heap. Each large record is dead-lettered once, the worker stays up, and the records around them are
   * stored.
   */
  @Test
  void largeRecordsInARowBehindABacklogAreDeadLetteredOnceEach() throws Exception {
    try (Cluster cluster = new Cluster()) {
      Cluster.Tenant tenant = cluster.newTenant();
      JsonNode credential = cluster.kafkaCredential(tenant);
      sendToFirstPartition(credential, tenant.accessKey(), EVENT.replace("Sync", "Before"));
      List<Long> large = List.of(sendLarge(credential, tenant.accessKey(), 70 << 20, 0),
          sendLarge(credential, tenant.accessKey(), 0, 100 << 20),
          sendLarge(credential, tenant.accessKey(), 200 << 20, 0),
          sendLarge(credential, tenant.accessKey(), 70 << 20, 0),
          sendDocument(credential, tenant.accessKey(), "[" + "{},".repeat(1_000_000) + "{}]"));
      sendToFirstPartition(credential, tenant.accessKey(), EVENT.replace("Sync", "After"));

      ChildProcess worker = cluster.startWorker(Map.of("AUDIT_KAFKA_SESSION_TIMEOUT", "6s"), "160m");
      awaitStored(cluster, tenant.id(), 6);
      // Waits for one letter too many: none comes.
      List<ConsumerRecord<byte[], byte[]>> letters = deadLetters(cluster, large.size() + 1);
      assertThat(worker.isAlive()).as(() -> worker.tail(40)).isTrue();
      assertThat(cluster.storedEvents(tenant.id())).isEqualTo(6);
      assertThat(letters).hasSize(large.size());
      assertThat(reasonsByPlace(letters))
          .containsOnlyKeys(large.stream().map(offset -> Topics.INGRESS + "/0/" + offset).toList());
      // Both ways in were taken: the group's consumer and a consumer of one record a poll ran out of heap.
      assertThat(Files.readString(worker.log())).contains("a poll ran out of heap", "runs out of heap when read");
    }
  }

  /**
   * The reasons of dead letters that are each a reference (no key, no value) to their source record, by place
   * ({@code topic/partition/offset}).
   */
  private static Map<String, String> reasonsByPlace(List<ConsumerRecord<byte[], byte[]>> letters) {
    Map<String, String> reasons = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> letter : letters) {
      assertThat(letter.key()).isNull();
      assertThat(letter.value()).isNull();
      reasons.put(new String(letter.headers().lastHeader("dlq-source").value(), StandardCharsets.UTF_8),
          new String(letter.headers().lastHeader(Topics.REASON_HEADER).value(), StandardCharsets.UTF_8));
    }
    return reasons;
  }

  /**
   * One record of {@code valueBytes} zeros and an extra header of {@code headerBytes}, in zstd, to the ingress topic's
   * first partition, in a batch of its own; answers its offset.
   */
  private static long sendLarge(JsonNode credential, String apiKey, int valueBytes, int headerBytes) throws Exception {
    Map<String, Object> large = Cluster.producerProperties(credential);
    large.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
    large.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 256 << 20);
    large.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 512L << 20);
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(large, new StringSerializer(),
        new ByteArraySerializer())) {
      ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.INGRESS, 0, "producer",
          new byte[valueBytes]);
      record.headers().add(Topics.API_KEY_HEADER, apiKey.getBytes(StandardCharsets.UTF_8));
      if (headerBytes > 0) {
        record.headers().add("x-large", new byte[headerBytes]);
      }
      return producer.send(record).get().offset();
    }
  }

  /** One record of {@code json} to the ingress topic's first partition, in zstd; answers its offset. */
  private static long sendDocument(JsonNode credential, String apiKey, String json) throws Exception {
    Map<String, Object> properties = Cluster.producerProperties(credential);
    properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
    properties.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 << 20);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties, new StringSerializer(),
        new StringSerializer())) {
      ProducerRecord<String, String> record = new ProducerRecord<>(Topics.INGRESS, 0, "producer", json);
      record.headers().add(Topics.API_KEY_HEADER, apiKey.getBytes(StandardCharsets.UTF_8));
      return producer.send(record).get().offset();
    }
  }

  /** Three records of one event each to the ingress topic's first partition. */
  private static void sendToFirstPartition(JsonNode credential, String apiKey, String value) {
    try (KafkaProducer<String, String> producer = producer(credential)) {
      for (int i = 0; i < 3; i++) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.INGRESS, 0, "producer", value);
        record.headers().add(Topics.API_KEY_HEADER, apiKey.getBytes(StandardCharsets.UTF_8));
        producer.send(record);
      }
      producer.flush();
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
      cluster.useProducerTimesOnIngress();
      long millis = System.currentTimeMillis() - 60_000;
      String pair = "[" + EVENT + "," + EVENT + "]";
      ChildProcess worker = cluster.startWorker();
      int perPartition = 300;
      JsonNode credential = cluster.kafkaCredential(tenant);
      sendToEveryPartition(credential, tenant.accessKey(), pair, millis, perPartition);
      awaitStored(cluster, tenant.id(), 6L * perPartition * 2);
      worker.kill();
      sendToEveryPartition(credential, tenant.accessKey(), pair, millis, perPartition);
      cluster.startWorker();
      awaitStored(cluster, tenant.id(), 6L * perPartition * 4);

      assertThat(cluster.storedEvents(tenant.id())).as(cluster::describe).isEqualTo(6L * perPartition * 4);
      assertThat(cluster.trailEntries(tenant.id())).isEqualTo(6L * perPartition * 4);
    }
  }

  private static void sendToEveryPartition(JsonNode credential, String apiKey, String value, long millis, int count) {
    try (KafkaProducer<String, String> producer = producer(credential)) {
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

  /**
   * Least privilege on the real broker: an issued producer credential writes the ingress topic and nothing else (no
   * events topic, no consuming, not the workers' group); the gateway's principal cannot read the events topic; a
   * client without credentials gets nowhere; a revoked credential is refused, on a new connection at once and on an
   * open one at its next send.
   */
  @Test
  void aProducerCredentialWritesTheIngressTopicOnlyAndStopsWorkingWhenRevoked() throws Exception {
    try (Cluster cluster = new Cluster()) {
      Cluster.Tenant tenant = cluster.newTenant();
      JsonNode credential = cluster.kafkaCredential(tenant);
      String principal = credential.path("username").asText();
      assertThat(principal).matches("p-[0-9a-f]{32}");
      assertThat(credential.path("topic").asText()).isEqualTo(Topics.INGRESS);
      assertThat(credential.path("sasl_mechanism").asText()).isEqualTo("SCRAM-SHA-512");
      JsonNode listed = Cluster.JSON.readTree(Cluster.HTTP.send(HttpRequest.newBuilder(URI.create(cluster.base
          + "/users/kafka-credentials")).header("Authorization", "Bearer " + tenant.token()).build(),
          HttpResponse.BodyHandlers.ofString()).body());
      assertThat(listed).singleElement().satisfies(c -> {
        assertThat(c.path("username").asText()).isEqualTo(principal);
        assertThat(c.has("password")).isFalse();
      });

      try (KafkaProducer<String, String> producer = producer(credential)) {
        assertThat(sendAndWait(producer, Topics.INGRESS, tenant.accessKey())).isNull();
        assertThat(sendAndWait(producer, Topics.EVENTS, tenant.accessKey()))
            .isInstanceOf(TopicAuthorizationException.class);
        assertThat(sendAndWait(producer, Topics.DEAD_LETTERS, tenant.accessKey()))
            .isInstanceOf(TopicAuthorizationException.class);

        for (String topic : List.of(Topics.INGRESS, Topics.EVENTS, Topics.DEAD_LETTERS)) {
          assertThat(firstPoll(Cluster.producerProperties(credential), null, topic)).as(topic)
              .isInstanceOf(TopicAuthorizationException.class);
        }
        assertThat(firstPoll(Cluster.producerProperties(credential), KafkaProvisioning.WORKER_GROUP, Topics.INGRESS))
            .isInstanceOf(GroupAuthorizationException.class);
        assertThat(firstPoll(cluster.kafka().clientProperties(cluster.kafka().users().gateway()), null,
            Topics.EVENTS)).isInstanceOf(TopicAuthorizationException.class);

        Map<String, Object> anonymous = new HashMap<>(Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, credential.path("bootstrap_servers").asText()));
        try (KafkaProducer<String, String> unauthenticated = new KafkaProducer<>(quick(anonymous),
            new StringSerializer(), new StringSerializer())) {
          assertThat(sendAndWait(unauthenticated, Topics.INGRESS, tenant.accessKey()))
              .isInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
        }

        HttpResponse<String> revoked = Cluster.HTTP.send(HttpRequest.newBuilder(URI.create(cluster.base
            + "/users/kafka-credentials/" + principal)).header("Authorization", "Bearer " + tenant.token())
            .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(204);
        Throwable refused = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (refused == null && System.nanoTime() < deadline) {
          refused = sendAndWait(producer, Topics.INGRESS, tenant.accessKey());
        }
        assertThat(refused).as("the open connection after revocation")
            .isInstanceOfAny(TopicAuthorizationException.class, SaslAuthenticationException.class);
      }
      try (KafkaProducer<String, String> again = producer(credential)) {
        assertThat(sendAndWait(again, Topics.INGRESS, tenant.accessKey()))
            .isInstanceOf(SaslAuthenticationException.class);
      }
      HttpResponse<String> twice = Cluster.HTTP.send(HttpRequest.newBuilder(URI.create(cluster.base
          + "/users/kafka-credentials/" + principal)).header("Authorization", "Bearer " + tenant.token())
          .DELETE().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(twice.statusCode()).isEqualTo(404);
    }
  }

  /** A producer logged in with the issued credential, on the producers' listener, that gives up within seconds. */
  static KafkaProducer<String, String> producer(JsonNode credential) {
    Map<String, Object> properties = Cluster.producerProperties(credential);
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(quick(properties), new StringSerializer(), new StringSerializer());
  }

  private static Map<String, Object> quick(Map<String, Object> properties) {
    properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 4000);
    properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
    properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 4000);
    return properties;
  }

  /** Null when the record was acknowledged, else Kafka's error. */
  private static Throwable sendAndWait(KafkaProducer<String, String> producer, String topic, String apiKey)
      throws InterruptedException {
    ProducerRecord<String, String> record = new ProducerRecord<>(topic, "producer", EVENT);
    record.headers().add(Topics.API_KEY_HEADER, apiKey.getBytes(StandardCharsets.UTF_8));
    try {
      producer.send(record).get(20, TimeUnit.SECONDS);
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (KafkaException | java.util.concurrent.TimeoutException e) {
      return e;
    }
  }

  /** The error of a consumer's first polls: with a group it subscribes, without one it reads partition 0. */
  private static Throwable firstPoll(Map<String, Object> login, String group, String topic) {
    Map<String, Object> properties = new HashMap<>(login);
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    properties.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
    properties.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
    if (group != null) {
      properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    }
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
        new ByteArrayDeserializer())) {
      if (group != null) {
        consumer.subscribe(List.of(topic));
      } else {
        consumer.assign(List.of(new TopicPartition(topic, 0)));
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500));
      }
      return null;
    } catch (KafkaException e) {
      return e;
    }
  }

  /** {@code "u0":0,"u1":0,...,} — keys the validator does not know, each an error of its own. */
  private static String unknownKeys(int count) {
    StringBuilder keys = new StringBuilder();
    for (int i = 0; i < count; i++) {
      keys.append("\"u").append(i).append("\":0,");
    }
    return keys.toString();
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

  static List<ConsumerRecord<byte[], byte[]>> deadLetters(Cluster cluster, int expected) {
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
