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
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The gateway's /health tells the truth about ingestion, with real processes: UP while a worker consumes, DOWN
 * (503) within 15 s of the only worker being killed — with the workers' default session timeout — while the gateway
 * keeps accepting; the lag and the age of the oldest unstored event grow meanwhile; UP again once a worker caught up.
 */
class IngestionHealthIT {

  @Test
  void healthReportsAKilledWorkerWithin15SecondsAndRecovery() throws Exception {
    try (Cluster cluster = new Cluster()) {
      Cluster.Tenant tenant = cluster.newTenant();
      ChildProcess worker = cluster.startWorker(Map.of());
      // A worker is a member of the group a moment before it is assigned its partitions.
      JsonNode up = awaitHealth(cluster, Duration.ofSeconds(30), h -> h.path("status").asText().equals("UP")
          && h.path("ingestion").path("workers").path(0).path("partitions").asInt() > 0);
      assertThat(up.path("ingestion").path("workers")).hasSize(1);

      worker.kill();
      long killed = System.nanoTime();
      JsonNode down = awaitHealth(cluster, Duration.ofSeconds(20),
          h -> h.path("ingestion").path("status").asText().equals("DOWN"));
      Duration noticed = Duration.ofNanos(System.nanoTime() - killed);
      System.out.printf("/health reported the killed worker after %.1f s%n", noticed.toMillis() / 1000.0);
      assertThat(noticed).as("time until /health reported no worker").isLessThanOrEqualTo(Duration.ofSeconds(15));
      assertThat(down.path("ingestion").path("reason").asText()).isEqualTo("no ingest worker consumes");
      assertThat(status(cluster)).isEqualTo(503);

      EventStream stream = new EventStream(cluster.base, List.of(tenant), 5, 20, 0).start();
      stream.await();
      assertThat(stream.acceptedTotal()).as("the gateway keeps accepting").isEqualTo(100);
      Thread.sleep(2_500);
      JsonNode waiting = awaitHealth(cluster, Duration.ofSeconds(10),
          h -> h.path("ingestion").path("lag").asLong() >= 100);
      assertThat(waiting.path("ingestion").path("oldest_unstored_age_seconds").asDouble()).isGreaterThan(1.0);

      cluster.startWorker(Map.of());
      JsonNode recovered = awaitHealth(cluster, Duration.ofSeconds(60),
          h -> h.path("status").asText().equals("UP") && h.path("ingestion").path("lag").asLong() == 0);
      assertThat(recovered.path("ingestion").path("oldest_unstored_age_seconds").asDouble()).isZero();
      assertThat(cluster.storedEvents(tenant.id())).isEqualTo(100);
    }
  }

  /**
   * Records that a producer wrote to the ingress topic directly are dated by when the gateway first saw them, not by
   * looking them up by time (which would make the broker decompress them): with the topic on producer times and
   * records stamped ten days ago, the age is seconds, and it grows while no worker stores them.
   */
  @Test
  void directRecordsAreAgedByWhenTheyWereSeenNotByTheirTimestamps() throws Exception {
    try (Cluster cluster = new Cluster()) {
      Cluster.Tenant tenant = cluster.newTenant();
      cluster.useProducerTimesOnIngress();
      long tenDaysAgo = System.currentTimeMillis() - Duration.ofDays(10).toMillis();
      Map<String, Object> properties = Cluster.producerProperties(cluster.kafkaCredential(tenant));
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties, new StringSerializer(),
          new StringSerializer())) {
        for (int i = 0; i < 5; i++) {
          ProducerRecord<String, String> record = new ProducerRecord<>(Topics.INGRESS, 0, tenDaysAgo, "producer",
              "{\"action\":\"sync\"}");
          record.headers().add(Topics.API_KEY_HEADER, tenant.accessKey().getBytes(StandardCharsets.UTF_8));
          producer.send(record).get();
        }
      }
      JsonNode first = awaitHealth(cluster, Duration.ofSeconds(20), h -> h.path("ingestion").path("lag").asLong() == 5);
      Thread.sleep(3_000);
      JsonNode later = awaitHealth(cluster, Duration.ofSeconds(10), h -> !h.path("ingestion").path("sampled_at")
          .equals(first.path("ingestion").path("sampled_at")));
      double age = later.path("ingestion").path("oldest_unstored_age_seconds").asDouble();
      assertThat(age).as(later::toString).isGreaterThan(2.0).isLessThan(600.0);
      assertThat(age).isGreaterThan(first.path("ingestion").path("oldest_unstored_age_seconds").asDouble());
    }
  }

  private static int status(Cluster cluster) throws Exception {
    return Cluster.HTTP.send(HttpRequest.newBuilder(URI.create(cluster.base + "/health")).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static JsonNode awaitHealth(Cluster cluster, Duration timeout, Predicate<JsonNode> condition)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode health = null;
    while (System.nanoTime() < deadline) {
      health = Cluster.JSON.readTree(Cluster.HTTP.send(HttpRequest.newBuilder(URI.create(cluster.base + "/health"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body());
      if (condition.test(health)) {
        return health;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("health never met the condition; last: " + health + "\n" + cluster.describe());
  }
}
