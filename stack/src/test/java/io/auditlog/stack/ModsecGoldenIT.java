package io.auditlog.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.modsecurity.Golden;
import io.auditlog.modsecurity.MlogcClient;
import io.auditlog.modsecurity.Samples;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The golden events end to end, through real processes: S1–S4 sent by the faithful mlogc client as sensor
 * {@code edge-01} with {@code ?env=staging} pass the gateway, Kafka and a worker into InfluxDB, and read back through
 * the query-service they equal the samples' EXPECTED events and messages.
 */
class ModsecGoldenIT {

  private static final List<String> SAMPLES = List.of("S1", "S2", "S3", "S4");

  @Test
  void theSamplesAreStoredAsTheirGoldenEvents() throws Exception {
    try (Cluster cluster = new Cluster()) {
      cluster.startWorker();
      Cluster.Tenant tenant = cluster.newTenant();
      MlogcClient sensor = new MlogcClient(cluster.base + "/rpc/auditLogReceiver?env=staging", "edge-01",
          cluster.ingestToken(tenant, "edge-01"));
      for (String name : SAMPLES) {
        String summary = name.equals("S1") || name.equals("S2") ? Samples.summary(name) : "-";
        MlogcClient.Answer answer = sensor.put(Samples.file(name), summary);
        assertThat(answer.status()).as(name + " " + answer.body()).isEqualTo(200);
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (cluster.storedEvents(tenant.id()) < SAMPLES.size() && System.nanoTime() < deadline) {
        Thread.sleep(250);
      }
      assertThat(cluster.storedEvents(tenant.id())).as(cluster.describe()).isEqualTo(SAMPLES.size());
      JsonNode page = cluster.log(tenant, "category=modsecurity&app=edge-01&size=100");
      Map<String, JsonNode> byUniqueId = new HashMap<>();
      page.forEach(event -> byUniqueId.put(event.path("metadata").path(0).path("value").asText(), event));
      for (String name : SAMPLES) {
        String uniqueId = Samples.expected(name).path("metadata").path(0).path("value").asText();
        assertThat(byUniqueId).as(page.toString()).containsKey(uniqueId);
        Golden.assertEvent(name, byUniqueId.get(uniqueId));
      }
    }
  }
}
