package io.auditlog.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.infra.KafkaUsers;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 503 after Kafka took part of a request, then a retry with the same {@code Idempotency-Key}: the retry answers
 * 202 with the ids of the first attempt and republishes the very same events, so InfluxDB holds each event once
 * although Kafka holds some twice. The gateway's produce rate is throttled by a broker quota, so the request is still
 * publishing when the broker is frozen (SIGSTOP) after its first events were acknowledged.
 */
class IdempotentRetryIT {

  @TempDir
  Path dir;

  private static final String TOPIC = "audit.events";
  private static final int EVENTS = 400;

  @Test
  void aRetryAfterAPartialPublishStoresEachEventOnce() throws Exception {
    try (Cluster cluster = new Cluster(); Admin admin = Admin.create(cluster.kafka().operatorProperties())) {
      cluster.startWorker();
      Cluster.Tenant tenant = cluster.newTenant();
      String body = batch();
      String key = "partial-" + System.nanoTime();
      long before = endOffsets(admin);

      throttleGateway(admin, 16_384.0);
      CompletableFuture<HttpResponse<String>> first = Cluster.HTTP.sendAsync(ingest(cluster, tenant, body, key),
          HttpResponse.BodyHandlers.ofString());
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (endOffsets(admin) == before && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      long taken = endOffsets(admin) - before;
      assertThat(taken).as("events Kafka took before the broker froze").isBetween(1L, EVENTS - 1L);
      cluster.freezeKafka();
      HttpResponse<String> refused;
      try {
        refused = first.get();
      } finally {
        cluster.thawKafka();
      }
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
      throttleGateway(admin, null);

      HttpResponse<String> retried = null;
      deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while ((retried == null || retried.statusCode() != 202) && System.nanoTime() < deadline) {
        retried = Cluster.HTTP.send(ingest(cluster, tenant, body, key), HttpResponse.BodyHandlers.ofString());
        assertThat(retried.statusCode()).as(retried.body()).isIn(202, 503);
      }
      assertThat(retried.statusCode()).as(retried.body()).isEqualTo(202);
      JsonNode accepted = Cluster.JSON.readTree(retried.body());
      List<String> ids = new ArrayList<>();
      accepted.path("ids").forEach(id -> ids.add(id.asText()));
      assertThat(ids).hasSize(EVENTS).doesNotHaveDuplicates();
      String changed = body.replace("\"GET\"", "\"PUT\"");
      assertThat(Cluster.HTTP.send(ingest(cluster, tenant, changed, key), HttpResponse.BodyHandlers.ofString())
          .statusCode()).isEqualTo(409);
      assertThat(endOffsets(admin) - before).as("Kafka holds the first attempt's events twice")
          .isGreaterThan(EVENTS);

      deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (cluster.storedEvents(tenant.id()) < EVENTS && System.nanoTime() < deadline) {
        Thread.sleep(250);
      }
      Thread.sleep(2000);
      assertThat(cluster.storedEvents(tenant.id())).as(cluster.describe()).isEqualTo(EVENTS);
      JsonNode page = Cluster.JSON.readTree(Cluster.HTTP.send(HttpRequest.newBuilder(URI.create(cluster.base
          + "/audit/log?category=web&app=retry&size=1000")).header("Authorization", "Bearer " + tenant.token())
          .build(), HttpResponse.BodyHandlers.ofString()).body());
      List<String> read = new ArrayList<>();
      Set<String> eventIds = new HashSet<>();
      page.forEach(event -> {
        read.add(event.path("id").asText());
        eventIds.add(event.path("event_id").asText());
      });
      assertThat(read).hasSize(EVENTS).containsExactlyInAnyOrderElementsOf(ids);
      assertThat(eventIds).containsExactly(accepted.path("event_id").asText());

      HistoryClient history = new HistoryClient(cluster, tenant);
      history.awaitCheckpoint(EVENTS, Duration.ofSeconds(30));
      Thread.sleep(1_500);
      assertThat(history.checkpoint().size()).as("each event republished by the retry keeps its first leaf")
          .isEqualTo(EVENTS);
      HistoryClient.Verdict verdict = history.verify(history.export(Files.createTempFile(dir, "retry", ".ndjson"),
          ""));
      assertThat(verdict.exit()).as(verdict.output()).isZero();
    }
  }

  private static HttpRequest ingest(Cluster cluster, Cluster.Tenant tenant, String body, String key) {
    return HttpRequest.newBuilder(URI.create(cluster.base + "/audit/log")).timeout(Duration.ofSeconds(30))
        .header("api-key", tenant.accessKey()).header("Content-Type", "application/json")
        .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  /** {@value #EVENTS} events of about 2 KB each. */
  private static String batch() {
    ArrayNode events = Cluster.JSON.createArrayNode();
    for (int i = 0; i < EVENTS; i++) {
      ObjectNode event = events.addObject();
      event.put("category", "web");
      event.putObject("source_information").put("application", "retry").put("environment", "prod");
      event.put("method", "GET").put("status", "200").put("level", "info");
      event.putObject("event").put("name", "request").put("type", "http").put("total_duration", 0.5)
          .put("affected_resources", i).put("latency", 0.1).put("cpu_usage", 0.2).put("memory_usage", 0.3)
          .put("description", "x".repeat(2000));
      event.putObject("actor").put("origin", "10.7.7." + (i % 250));
    }
    return events.toString();
  }

  /** Limits (or with {@code null}, frees) the gateway principal's produce rate in bytes per second. */
  private static void throttleGateway(Admin admin, Double bytesPerSecond) throws Exception {
    ClientQuotaEntity gateway = new ClientQuotaEntity(Map.of(ClientQuotaEntity.USER, KafkaUsers.GATEWAY));
    admin.alterClientQuotas(List.of(new ClientQuotaAlteration(gateway,
        List.of(new ClientQuotaAlteration.Op("producer_byte_rate", bytesPerSecond))))).all().get();
  }

  /** Records on the events topic, all partitions together. */
  private static long endOffsets(Admin admin) throws Exception {
    int partitions = admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC).partitions().size();
    Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
    for (int p = 0; p < partitions; p++) {
      latest.put(new TopicPartition(TOPIC, p), OffsetSpec.latest());
    }
    return admin.listOffsets(latest).all().get().values().stream()
        .collect(Collectors.summingLong(info -> info.offset()));
  }
}
