package io.auditlog.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.infra.BackingServices;
import io.auditlog.infra.KafkaBroker;
import io.auditlog.infra.KafkaProvisioning;
import io.auditlog.infra.KafkaUsers;
import io.auditlog.infra.ServiceAcls;
import io.auditlog.infra.Ports;
import io.auditlog.infra.Secrets;
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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** A gateway verticle on a free port against the test JVM's real Kafka, PostgreSQL and InfluxDB, and a client. */
final class TestGateway implements AutoCloseable {

  static final BackingServices SERVICES = BackingServices.forTests();
  static final String JWT_SECRET = Secrets.generate();
  static final String ADMIN_PASSWORD = "Gateway@It123";
  /** Stable for the test JVM, since every gateway of a test class shares the one database's stored access keys. */
  private static final String KEY_SECRET = Secrets.generate();
  private static final String INTERNAL_SECRET = Secrets.generate();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Pattern LINK = Pattern.compile("(http://\\S+\\?key=\\S+)\\.$");

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
        Map.entry("AUDIT_INTERNAL_SECRET", INTERNAL_SECRET),
        Map.entry("AUDIT_KEY_SECRET", KEY_SECRET),
        Map.entry("AUDIT_ADMIN_PASSWORD", ADMIN_PASSWORD),
        Map.entry("AUDIT_MAIL_MODE", "dev"),
        Map.entry("AUDIT_ALLOW_DEV_MAIL", "true"),
        // Every test signs up from 127.0.0.1; the tests of the mail limits set their own.
        Map.entry("AUDIT_MAIL_MAX_PER_ADDRESS", "1000000"),
        Map.entry("AUDIT_MAIL_MAX_PER_EMAIL", "1000000"),
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

  /** A new account, signed up and activated through the API (dev mail mode), with email {@code <username>@<domain>}. */
  /** The admin account's access key, for {@code POST /audit/log}. */
  String adminAccessKey() throws Exception {
    String token = login("admin", ADMIN_PASSWORD);
    return expect(bearer("/users/access-key/me", token).GET(), 200).path("access_key").asText();
  }

  String activeUser(String username, String domain, String password) throws Exception {
    JsonNode created = expect(formRequest("POST", "/auth/signup", Map.of("username", username,
        "email", username + "@" + domain, "password", password, "repeatPassword", password)), 201);
    expect(request(link(created)).GET(), 200);
    return username;
  }

  /** The link of a dev-mode message ({@code ... using <link>.}). */
  static String link(JsonNode message) {
    Matcher m = LINK.matcher(message.path("msg").asText());
    assertThat(m.find()).as(message.toString()).isTrue();
    return m.group(1);
  }

  /** Sends every request at once and answers each one's response, in order. */
  static List<HttpResponse<String>> sendAll(List<HttpRequest.Builder> requests) {
    List<CompletableFuture<HttpResponse<String>>> sent = requests.stream()
        .map(request -> HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())).toList();
    return sent.stream().map(CompletableFuture::join).toList();
  }

  /** Sends and checks a 429 whose {@code Retry-After} is from {@code min} to {@code max} seconds. */
  static void expectTooMany(HttpRequest.Builder request, long min, long max) throws Exception {
    HttpResponse<String> answer = send(request);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(429);
    assertThat(Long.parseLong(answer.headers().firstValue("Retry-After").orElseThrow())).isBetween(min, max);
  }

  /** Forgets every counted attempt (logins, account mail), so that a test starts from no limit used. */
  static void forgetAttempts() throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:"
        + SERVICES.postgres().port() + "/auditlog", "auditlog", SERVICES.postgres().password());
        Statement statement = connection.createStatement()) {
      statement.execute("DELETE FROM rate_limit_attempts");
    }
  }

  /** Every record on the topic so far, read from the beginning up to the end offsets of this moment. */
  static List<ConsumerRecord<String, byte[]>> readTopic(String topic) {
    return readTopic(SERVICES.kafka(), topic);
  }

  /** The same, on another broker. */
  static List<ConsumerRecord<String, byte[]>> readTopic(KafkaBroker broker, String topic) {
    Map<String, Object> properties = new HashMap<>(broker.operatorProperties());
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
        new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
      // Generous: on a busy machine the first fetch (SASL login, metadata) alone can take seconds.
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (System.nanoTime() < deadline
          && partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      return records;
    }
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
