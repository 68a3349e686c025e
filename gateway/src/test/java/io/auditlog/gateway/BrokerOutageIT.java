package io.auditlog.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditlog.infra.BackingServices;
import io.auditlog.infra.KafkaBroker;
import io.auditlog.infra.KafkaProvisioning;
import io.auditlog.infra.KafkaUsers;
import io.auditlog.infra.Ports;
import io.auditlog.infra.ProjectLayout;
import io.auditlog.model.SampleEvents;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With its Kafka broker stopped, the gateway answers 503 with Retry-After quickly — never 202, never a hang. */
class BrokerOutageIT {

  @Test
  void answers503WhileTheBrokerIsDownAnd202OnceItIsBack() throws Exception {
    Path dir = Files.createTempDirectory("auditlog-broker-outage-");
    KafkaBroker.Listeners listeners = new KafkaBroker.Listeners(Ports.free(), Ports.free(), Ports.free());
    Path lib = ProjectLayout.locate().kafkaLib();
    KafkaUsers users = KafkaUsers.generate();
    KafkaBroker broker = KafkaBroker.start(dir, listeners, 2, lib, users);
    KafkaProvisioning.provisionServices(broker, users);
    try (TestGateway gateway = new TestGateway(Map.of("AUDIT_KAFKA_BOOTSTRAP", broker.bootstrapServers(),
        "AUDIT_KAFKA_PASSWORD", users.gatewayPassword(), "AUDIT_KAFKA_ADMIN_PASSWORD", users.operatorPassword(),
        "AUDIT_PUBLISH_TIMEOUT", "3s"))) {
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
    } finally {
      broker.close();
      BackingServices.deleteTree(dir);
    }
  }
}
