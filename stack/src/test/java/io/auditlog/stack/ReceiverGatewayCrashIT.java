package io.auditlog.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.modsecurity.MlogcClient;
import io.auditlog.modsecurity.Samples;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A gateway killed (SIGKILL) while an entry's publish is in flight: the broker is frozen, so the gateway has sent the
 * record and waits for its acknowledgement when it dies, and the sensor gets no answer. Restarted on the same port,
 * the gateway answers the sensor's resends of the same entry (as mlogc resends it) with 503 while the dead request's
 * lease runs ({@code AUDIT_PUBLISH_TIMEOUT} + 5 s), then 200; whether Kafka took the first record or not, one event
 * is stored, with the 200's id.
 */
class ReceiverGatewayCrashIT {

  private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(15);
  private static final String S1_UNIQUE_ID = Samples.expected("S1").path("metadata").path(0).path("value").asText();

  @Test
  void aResendAfterTheGatewayDiedMidPublishStoresTheEntryOnce() throws Exception {
    try (Cluster cluster = new Cluster(Map.of("AUDIT_PUBLISH_TIMEOUT", PUBLISH_TIMEOUT.toSeconds() + "s"))) {
      cluster.startWorker();
      Cluster.Tenant tenant = cluster.newTenant();
      MlogcClient sensor = new MlogcClient(cluster.base + "/rpc/auditLogReceiver?env=staging", "edge-01",
          cluster.ingestToken(tenant, "edge-01"));
      // The producer knows the topic's leaders and is connected, so S1's record goes out at once.
      assertThat(sensor.put(Samples.file("S2"), Samples.summary("S2")).status()).isEqualTo(200);

      double sent = recordsSent(cluster);
      long inFlight;
      cluster.freezeKafka();
      try {
        CompletableFuture<MlogcClient.Answer> first = CompletableFuture.supplyAsync(() -> putS1(sensor));
        inFlight = awaitRecordSent(cluster, sent);
        cluster.killGateway();
        assertThatThrownBy(first::join).as("the sensor's first PUT gets no answer").hasCauseInstanceOf(
            UncheckedIOException.class);
      } finally {
        cluster.thawKafka();
      }
      cluster.startGateway();

      List<Integer> refusals = new ArrayList<>();
      MlogcClient.Answer answer = putS1(sensor);
      long deadline = System.nanoTime() + PUBLISH_TIMEOUT.plusSeconds(60).toNanos();
      while (answer.status() != 200 && System.nanoTime() < deadline) {
        refusals.add(answer.status());
        Thread.sleep(1_000);
        answer = putS1(sensor);
      }
      assertThat(answer.status()).as(answer.body() + "\n" + cluster.describe()).isEqualTo(200);
      assertThat(refusals).as("answers before the 200").allMatch(status -> status == 503);
      assertThat(Duration.ofNanos(System.nanoTime() - inFlight)).as("the dead request's lease was kept")
          .isGreaterThanOrEqualTo(PUBLISH_TIMEOUT);
      String id = Cluster.JSON.readTree(answer.body()).path("id").asText();

      assertThat(awaitCount(cluster, tenant, 2)).as(cluster.describe()).isEqualTo(2);
      List<String> stored = new ArrayList<>();
      for (JsonNode event : cluster.log(tenant, "category=modsecurity&app=edge-01&size=100")) {
        if (event.path("metadata").path(0).path("value").asText().equals(S1_UNIQUE_ID)) {
          stored.add(event.path("id").asText());
        }
      }
      assertThat(stored).containsExactly(id);
    }
  }

  private static MlogcClient.Answer putS1(MlogcClient sensor) {
    try {
      return sensor.put(Samples.file("S1"), Samples.summary("S1"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static double recordsSent(Cluster cluster) throws Exception {
    return Scrape.sum(Scrape.of(cluster.gatewayMetrics), "kafka_producer_record_send_total");
  }

  /**
   * Waits until the gateway's producer has sent a record beyond {@code before} to the (frozen) broker: the entry's
   * publish is in flight. Answers when that was seen, in {@link System#nanoTime()}.
   */
  private static long awaitRecordSent(Cluster cluster, double before) throws Exception {
    long deadline = System.nanoTime() + PUBLISH_TIMEOUT.toNanos() / 2;
    while (System.nanoTime() < deadline) {
      if (recordsSent(cluster) > before) {
        return System.nanoTime();
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the gateway never sent the entry's record\n" + cluster.describe());
  }

  /** The count through the API once it reaches {@code expected}, and again a moment later (nothing more comes). */
  private static long awaitCount(Cluster cluster, Cluster.Tenant tenant, long expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (cluster.countedEvents(tenant) < expected && System.nanoTime() < deadline) {
      Thread.sleep(500);
    }
    Thread.sleep(3_000);
    return cluster.countedEvents(tenant);
  }
}
