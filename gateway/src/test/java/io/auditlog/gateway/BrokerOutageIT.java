package io.auditlog.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditlog.infra.BackingServices;
import io.auditlog.infra.KafkaBroker;
import io.auditlog.infra.KafkaProvisioning;
import io.auditlog.infra.KafkaUsers;
import io.auditlog.infra.Ports;
import io.auditlog.infra.ProjectLayout;
import io.auditlog.model.EventCodec;
import io.auditlog.model.Json;
import io.auditlog.model.SampleEvents;
import io.auditlog.model.StampedEvent;
import io.auditlog.modsecurity.MlogcClient;
import io.auditlog.modsecurity.Samples;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With its Kafka broker stopped, the gateway answers 503 with Retry-After quickly — never 202, never a hang. The
 * ModSecurity receiver does the same, with nothing on the topic; once the broker is back, the sensor's retry of the
 * same entry (as mlogc resends it) gets a 200, and every record of the entry on the topic is the one event of that
 * answer.
 */
class BrokerOutageIT {

  private static final String TOPIC = "audit.events";

  private Path dir;
  private KafkaBroker.Listeners listeners;
  private Path lib;
  private KafkaUsers users;
  private KafkaBroker broker;

  @BeforeEach
  void startBroker() throws Exception {
    dir = Files.createTempDirectory("auditlog-broker-outage-");
    listeners = new KafkaBroker.Listeners(Ports.free(), Ports.free(), Ports.free());
    lib = ProjectLayout.locate().kafkaLib();
    users = KafkaUsers.generate();
    broker = KafkaBroker.start(dir, listeners, 2, lib, users);
    KafkaProvisioning.provisionServices(broker, users);
  }

  @AfterEach
  void stopBroker() {
    broker.close();
    BackingServices.deleteTree(dir);
  }

  private TestGateway gateway() throws Exception {
    return new TestGateway(Map.of("AUDIT_KAFKA_BOOTSTRAP", broker.bootstrapServers(),
        "AUDIT_KAFKA_PASSWORD", users.gatewayPassword(), "AUDIT_KAFKA_ADMIN_PASSWORD", users.operatorPassword(),
        "AUDIT_PUBLISH_TIMEOUT", "3s"));
  }

  @Test
  void answers503WhileTheBrokerIsDownAnd202OnceItIsBack() throws Exception {
    try (TestGateway gateway = gateway()) {
      String token = gateway.login("admin", TestGateway.ADMIN_PASSWORD);
      String key = TestGateway.expect(gateway.bearer("/users/access-key/me", token).GET(), 200)
          .path("access_key").asText();
      HttpRequest.Builder post = gateway.request("/audit/log").header("api-key", key)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(SampleEvents.seedJson().toString()));
      assertThat(TestGateway.send(post).statusCode()).isEqualTo(202);

      broker.close();
      for (int attempt = 0; attempt < 3; attempt++) {
        long started = System.nanoTime();
        HttpResponse<String> refused = TestGateway.send(post);
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(millis).as("answer time in ms").isLessThan(5_000);
      }

      broker = KafkaBroker.start(dir, listeners, 2, lib, users);
      long deadline = System.nanoTime() + 60_000_000_000L;
      int status = 0;
      while (System.nanoTime() < deadline && status != 202) {
        status = TestGateway.send(post).statusCode();
      }
      assertThat(status).isEqualTo(202);
    }
  }

  @Test
  void theReceiverAnswers503WhileTheBrokerIsDownAndTheRetryStoresTheEntryOnce() throws Exception {
    try (TestGateway gateway = gateway()) {
      String jwt = gateway.login("admin", TestGateway.ADMIN_PASSWORD);
      String token = TestGateway.expect(gateway.bearer("/users/tokens", jwt).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"edge-01\",\"permissions\":[\"ingest\"]}")), 201)
          .path("token").asText();
      MlogcClient sensor = new MlogcClient(gateway.base + "/rpc/auditLogReceiver?env=staging", "edge-01", token);
      assertThat(sensor.put(Samples.file("S2"), Samples.summary("S2")).status()).isEqualTo(200);

      broker.close();
      long started = System.nanoTime();
      MlogcClient.Answer refused = sensor.put(Samples.file("S1"), Samples.summary("S1"));
      long millis = (System.nanoTime() - started) / 1_000_000;
      assertThat(refused.status()).as(refused.body()).isEqualTo(503);
      assertThat(refused.headers()).containsKey("retry-after");
      assertThat(millis).as("answer time in ms, with a 3 s acknowledgement timeout").isLessThan(5_000);

      broker = KafkaBroker.start(dir, listeners, 2, lib, users);
      MlogcClient.Answer retried = refused;
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (retried.status() != 200 && System.nanoTime() < deadline) {
        assertThat(retried.status()).as(retried.body()).isEqualTo(503);
        Thread.sleep(500);
        retried = sensor.put(Samples.file("S1"), Samples.summary("S1"));
      }
      assertThat(retried.status()).as(retried.body()).isEqualTo(200);
      String id = Json.MAPPER.readTree(retried.body()).path("id").asText();
      EventCodec codec = new EventCodec();
      List<StampedEvent> s1 = TestGateway.readTopic(broker, TOPIC).stream().map(r -> codec.decode(r.value()))
          .filter(e -> e.event().metadata().orElseThrow().get(0).value().asText()
              .equals("Z9FSwn8AAQEAAB4rBgQAAAAA")).toList();
      assertThat(s1).isNotEmpty();
      assertThat(s1).extracting(StampedEvent::id).containsOnly(id);
      assertThat(s1).extracting(StampedEvent::timestampNanos).containsOnly(s1.get(0).timestampNanos());
      MlogcClient.Answer resent = sensor.put(Samples.file("S1"), Samples.summary("S1"));
      assertThat(Json.MAPPER.readTree(resent.body()).path("duplicate").asBoolean()).isTrue();
    }
  }
}
