package io.auditlog.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.infra.BackingServices;
import io.auditlog.infra.KafkaProvisioning;
import io.auditlog.infra.KafkaUsers;
import io.auditlog.infra.ServiceAcls;
import io.auditlog.infra.Ports;
import io.auditlog.model.Json;
import io.auditlog.model.Topics;
import io.auditlog.web.Metrics;
import io.auditlog.web.Settings;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** A gateway verticle on a free port against the test JVM's real Kafka, PostgreSQL and InfluxDB, and a client. */
final class TestGateway implements AutoCloseable {

  static final BackingServices SERVICES = BackingServices.forTests();
  static final String JWT_SECRET = "gateway-test-jwt-secret-0123456789abcdef";
  static final String ADMIN_PASSWORD = "Gateway@It123";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final Vertx vertx = Vertx.vertx();
  final GatewayVerticle verticle;
  final String base;

  TestGateway(Map<String, String> overrides) throws Exception {
    int port = Ports.free();
    Map<String, String> env = new HashMap<>(Map.ofEntries(
        Map.entry("AUDIT_PORT", Integer.toString(port)),
        Map.entry("AUDIT_KAFKA_BOOTSTRAP", SERVICES.kafka().bootstrapServers()),
        Map.entry("AUDIT_TOPIC_PARTITIONS", "2"),
        Map.entry("AUDIT_PG_PORT", Integer.toString(SERVICES.postgres().port())),
        Map.entry("AUDIT_PG_PASSWORD", SERVICES.postgres().password()),
        Map.entry("AUDIT_INFLUX_URL", SERVICES.influx().url()),
        Map.entry("AUDIT_INFLUX_ADMIN_PASSWORD", SERVICES.influxAccess().admin().password()),
        Map.entry("AUDIT_INFLUX_WRITER_PASSWORD", SERVICES.influxAccess().writer().password()),
        Map.entry("AUDIT_INFLUX_TENANT_SECRET", SERVICES.influxAccess().tenantSecret()),
        Map.entry("AUDIT_QUERY_URL", "http://127.0.0.1:" + Ports.free()),
        Map.entry("AUDIT_JWT_SECRET", JWT_SECRET),
        Map.entry("AUDIT_INTERNAL_SECRET", "gateway-test-internal-secret-0123456789"),
        Map.entry("AUDIT_KEY_SECRET", "gateway-test-key-secret-0123456789abcdef"),
        Map.entry("AUDIT_ADMIN_PASSWORD", ADMIN_PASSWORD),
        Map.entry("AUDIT_MAIL_MODE", "dev"),
        Map.entry("AUDIT_KAFKA_PASSWORD", SERVICES.kafka().users().gatewayPassword()),
        Map.entry("AUDIT_KAFKA_ADMIN_PASSWORD", SERVICES.kafka().users().operatorPassword())));
    env.putAll(overrides);
    if (overrides.containsKey("AUDIT_TOPIC")) {
      KafkaProvisioning.grant(SERVICES.kafka(), ServiceAcls.gateway(KafkaUsers.GATEWAY, overrides.get("AUDIT_TOPIC"),
          Topics.INGRESS, KafkaProvisioning.WORKER_GROUP));
    }
    verticle = new GatewayVerticle(GatewayConfig.from(new Settings(env)), new Metrics());
    try {
      vertx.deployVerticle(verticle).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      throw e;
    }
    base = "http://127.0.0.1:" + port;
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : base + path))
        .timeout(Duration.ofSeconds(20));
  }

  HttpRequest.Builder bearer(String path, String token) {
    return request(path).header("Authorization", "Bearer " + token);
  }

  static HttpRequest.BodyPublisher form(Map<String, String> fields) {
    return HttpRequest.BodyPublishers.ofString(fields.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&")));
  }

  HttpRequest.Builder formRequest(String method, String path, Map<String, String> fields) {
    return request(path).header("Content-Type", "application/x-www-form-urlencoded").method(method, form(fields));
  }

  static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Sends and checks the status and the JSON content type of the answer. */
  static JsonNode expect(HttpRequest.Builder request, int status) throws Exception {
    HttpResponse<String> response = send(request);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    if (status == 204) {
      return Json.MAPPER.nullNode();
    }
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/json"));
    return Json.MAPPER.readTree(response.body());
  }

  String login(String username, String password) throws Exception {
    return expect(formRequest("POST", "/auth/login", Map.of("username", username, "password", password)), 200)
        .path("access_token").asText();
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
