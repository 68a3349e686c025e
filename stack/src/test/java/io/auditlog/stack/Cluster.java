package io.auditlog.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditlog.infra.BackingServices;
import io.auditlog.infra.ChildProcess;
import io.auditlog.infra.InfluxAccess;
import io.auditlog.infra.InfluxServer;
import io.auditlog.infra.KafkaBroker;
import io.auditlog.infra.KafkaUsers;
import io.auditlog.infra.Secrets;
import io.auditlog.infra.Ports;
import io.auditlog.infra.ProjectLayout;
import io.auditlog.infra.Readiness;
import io.auditlog.infra.ServiceRole;
import io.auditlog.model.InfluxNames;
import io.auditlog.model.KafkaLogin;
import io.auditlog.model.Topics;
import io.auditlog.store.LineProtocol;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Real processes for the ingestion guarantees: Kafka, PostgreSQL and InfluxDB, the gateway jar and any number of
 * ingest-worker jars, each killable, stoppable and restartable on its own (the gateway again on its own port).
 */
final class Cluster implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  static final String ADMIN_PASSWORD = "Cluster@Test123";
  /**
   * The gateway's heap, as {@code bin/start} gives it: its default body budget of 128 MiB needs about four times that.
   * At 384 MiB, {@code HostileRequestsIT}'s floods ran it out of heap in one run of many.
   */
  static final String GATEWAY_HEAP = "512m";

  private final Path dir;
  /** Service logs stay in the build folder after the cluster is gone, so a failed run can be read afterwards. */
  private final Path logs;
  private final BackingServices backing;
  private final ProjectLayout layout = ProjectLayout.locate();
  private final List<ChildProcess> processes = new ArrayList<>();
  private final Map<String, String> secrets = Map.of(
      "AUDIT_JWT_SECRET", Secrets.generate(),
      "AUDIT_INTERNAL_SECRET", Secrets.generate(),
      "AUDIT_KEY_SECRET", Secrets.generate());
  private final KafkaUsers kafkaUsers = KafkaUsers.generate();
  /** The workers' secret for the verifiable history's keys. */
  private final String tlogSecret = Secrets.generate();
  private InfluxServer influx;
  final String base;
  /** Where each service serves {@code /metrics}: the gateway's metrics listener, the query-service, the workers. */
  final String gatewayMetrics;
  final String queryService;
  final List<String> workers = new ArrayList<>();
  private final int gatewayPort;
  private final Map<String, String> gatewayEnv;
  private ChildProcess gateway;

  Cluster() throws Exception {
    this(Map.of());
  }

  /** With {@code gatewaySettings} on top of the cluster's gateway settings (e.g. a short publish timeout). */
  Cluster(Map<String, String> gatewaySettings) throws Exception {
    this(gatewaySettings, Map.of());
  }

  /** With settings on top of the cluster's gateway and query-service settings (e.g. a retention). */
  Cluster(Map<String, String> gatewaySettings, Map<String, String> querySettings) throws Exception {
    dir = Files.createTempDirectory("auditlog-cluster-");
    dir.toFile().setExecutable(true, false);
    logs = Path.of("target", "cluster-logs", dir.getFileName().toString()).toAbsolutePath();
    backing = BackingServices.start(dir, BackingServices.PortPlan.allFree(), 6, false, kafkaUsers,
        InfluxAccess.generate(), Secrets.generate());
    influx = backing.influx();
    SchemaOwner.migrate(SchemaOwner.MIGRATING.stream().map(layout::serviceJar).toList(), backing.postgres(), logs);
    int queryPort = Ports.free();
    queryService = "http://127.0.0.1:" + queryPort;
    // The query-service reads the verifiable history from the workers' PostgreSQL database.
    Map<String, String> queryEnv = new HashMap<>(Map.of("AUDIT_QUERY_PORT", Integer.toString(queryPort),
        "AUDIT_INFLUX_URL", influx.url(), "AUDIT_INFLUX_TENANT_SECRET", backing.influxAccess().tenantSecret(),
        "AUDIT_INTERNAL_SECRET", secrets.get("AUDIT_INTERNAL_SECRET")));
    queryEnv.putAll(SchemaOwner.loginOf(backing.postgres(), ServiceRole.QUERY));
    queryEnv.putAll(querySettings);
    startJar("query-service", queryEnv, queryPort);
    gatewayPort = Ports.free();
    base = "http://127.0.0.1:" + gatewayPort;
    Map<String, String> env = new HashMap<>(secrets);
    env.putAll(Map.of(
        "AUDIT_PORT", Integer.toString(gatewayPort),
        "AUDIT_KAFKA_BOOTSTRAP", backing.kafka().bootstrapServers(),
        "AUDIT_TOPIC_PARTITIONS", "6",
        "AUDIT_INFLUX_URL", influx.url(),
        "AUDIT_QUERY_URL", "http://127.0.0.1:" + queryPort,
        "AUDIT_ADMIN_PASSWORD", ADMIN_PASSWORD));
    env.put("AUDIT_MAIL_MODE", "dev");
    env.put("AUDIT_ALLOW_DEV_MAIL", "true");
    // Every tenant signs up from 127.0.0.1.
    env.put("AUDIT_MAIL_MAX_PER_ADDRESS", "1000000");
    env.putAll(SchemaOwner.loginOf(backing.postgres(), ServiceRole.GATEWAY));
    env.put("AUDIT_INFLUX_ADMIN_PASSWORD", backing.influxAccess().admin().password());
    env.put("AUDIT_INFLUX_WRITER_PASSWORD", backing.influxAccess().writer().password());
    env.put("AUDIT_INFLUX_TENANT_SECRET", backing.influxAccess().tenantSecret());
    env.put("AUDIT_KAFKA_PASSWORD", kafkaUsers.gatewayPassword());
    env.put("AUDIT_KAFKA_ADMIN_PASSWORD", kafkaUsers.operatorPassword());
    env.put("AUDIT_KAFKA_PRODUCER_BOOTSTRAP", backing.kafka().producerBootstrapServers());
    int metricsPort = Ports.free();
    env.put("AUDIT_METRICS_PORT", Integer.toString(metricsPort));
    gatewayMetrics = "http://127.0.0.1:" + metricsPort;
    env.putAll(gatewaySettings);
    gatewayEnv = Map.copyOf(env);
    startGateway();
  }

  /** The gateway process again, on the same ports with the same settings (after {@link #killGateway()}). */
  void startGateway() {
    // Ready when it serves; its /health also judges ingestion, and the workers come later.
    gateway = startJar("gateway", gatewayEnv, gatewayPort, "/openapi.json", GATEWAY_HEAP);
  }

  /** SIGKILL to the gateway, as a crash would end it: no answer, no cleanup; returns once it is gone. */
  ChildProcess gateway() {
    return gateway;
  }

  void killGateway() throws InterruptedException {
    gateway.kill();
  }

  private ChildProcess startJar(String module, Map<String, String> env, int port) {
    return startJar(module, env, port, "/health");
  }

  private ChildProcess startJar(String module, Map<String, String> env, int port, String readyPath) {
    return startJar(module, env, port, readyPath, "384m");
  }

  private ChildProcess startJar(String module, Map<String, String> env, int port, String readyPath, String heap) {
    String name = module + "-" + UUID.randomUUID().toString().substring(0, 6);
    List<String> command = new ArrayList<>(List.of(ProjectLayout.javaBinary(), "-Xmx" + heap));
    if (!module.equals("ingest-worker")) {
      // As the local stack runs them: a service out of heap ends, and a test fails, instead of collecting for ever.
      command.add("-XX:+ExitOnOutOfMemoryError");
    }
    command.addAll(List.of("-jar", layout.serviceJar(module).toString()));
    ChildProcess process = ChildProcess.start(name, command, env, logs.resolve(name + ".log"), "TERM");
    processes.add(process);
    Readiness.await(process, Duration.ofSeconds(90),
        () -> Readiness.answers("http://127.0.0.1:" + port + readyPath, 200));
    return process;
  }

  /** A new ingest worker process in the consumer group. */
  ChildProcess startWorker() {
    return startWorker(Map.of("AUDIT_KAFKA_SESSION_TIMEOUT", "6s"));
  }

  /** A new ingest worker with these settings on top of the cluster's (e.g. the default session timeout). */
  ChildProcess startWorker(Map<String, String> settings) {
    return startWorker(settings, "384m");
  }

  /** A new ingest worker with these settings and this {@code -Xmx}. */
  ChildProcess startWorker(Map<String, String> settings, String heap) {
    int port = Ports.free();
    workers.add("http://127.0.0.1:" + port);
    Map<String, String> env = new HashMap<>(Map.of(
        "AUDIT_WORKER_PORT", Integer.toString(port),
        "AUDIT_KAFKA_BOOTSTRAP", backing.kafka().bootstrapServers(),
        "AUDIT_KAFKA_PASSWORD", kafkaUsers.workerPassword(),
        "AUDIT_INFLUX_URL", influx.url(),
        "AUDIT_INFLUX_WRITER_PASSWORD", backing.influxAccess().writer().password(),
        "AUDIT_BATCH_LINGER", "100ms",
        "AUDIT_MAX_BACKOFF", "2s"));
    env.putAll(SchemaOwner.loginOf(backing.postgres(), ServiceRole.WORKER));
    env.put("AUDIT_TLOG_SECRET", tlogSecret);
    env.put("AUDIT_PUBLIC_HOST", "127.0.0.1:" + gatewayPort);
    env.putAll(settings);
    return startJar("ingest-worker", env, port, "/health", heap);
  }

  void stopInflux() {
    influx.close();
  }

  void restartInflux() {
    influx.startAgain();
  }

  /** An active account (signed up and activated through the API); answers its tenant and access key. */
  Tenant newTenant() throws Exception {
    String username = "t" + UUID.randomUUID().toString().substring(0, 8);
    String password = "Tenant@12345";
    String signup = post("/auth/signup", "username=" + username + "&email=" + username + "%40example.org"
        + "&password=Tenant%4012345&repeatPassword=Tenant%4012345", 201);
    Matcher link = Pattern.compile("(http://\\S+key=[A-Za-z0-9_-]+)").matcher(JSON.readTree(signup).path("msg")
        .asText());
    if (!link.find()) {
      throw new IllegalStateException("no activation link in " + signup);
    }
    send(HttpRequest.newBuilder(URI.create(link.group(1))).GET(), 200);
    String token = JSON.readTree(post("/auth/login", "username=" + username + "&password="
        + URLEncoder.encode(password, StandardCharsets.UTF_8), 200)).path("access_token").asText();
    JsonNode me = JSON.readTree(send(HttpRequest.newBuilder(URI.create(base + "/users/me"))
        .header("Authorization", "Bearer " + token).GET(), 200));
    String key = JSON.readTree(send(HttpRequest.newBuilder(URI.create(base + "/users/access-key/me"))
        .header("Authorization", "Bearer " + token).GET(), 200)).path("access_key").asText();
    return new Tenant(me.path("id").asText(), username, password, key, token);
  }

  record Tenant(String id, String username, String password, String accessKey, String token) {
  }

  /** The tenant's access key rotated through the API: the old one stops working at once. Answers the new key. */
  String rotateAccessKey(Tenant tenant) throws Exception {
    return JSON.readTree(send(HttpRequest.newBuilder(URI.create(base + "/users/access-key/rotate"))
        .header("Authorization", "Bearer " + tenant.token()).POST(HttpRequest.BodyPublishers.noBody()), 200))
        .path("access_key").asText();
  }

  /** A new API token of the tenant with the {@code ingest} permission only, as a sensor named {@code sensor} gets. */
  String ingestToken(Tenant tenant, String sensor) throws Exception {
    return JSON.readTree(send(HttpRequest.newBuilder(URI.create(base + "/users/tokens"))
        .header("Authorization", "Bearer " + tenant.token()).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + sensor + "\",\"permissions\":[\"ingest\"]}")),
        201)).path("token").asText();
  }

  /** A page of the tenant's events, read through the gateway and the query-service ({@code query}: after the ?). */
  JsonNode log(Tenant tenant, String query) throws Exception {
    return JSON.readTree(send(HttpRequest.newBuilder(URI.create(base + "/audit/log?" + query))
        .header("Authorization", "Bearer " + tenant.token()).GET(), 200));
  }

  /** The tenant's stored events as the console's {@code /api/events/count} counts them. */
  long countedEvents(Tenant tenant) throws Exception {
    return Long.parseLong(send(HttpRequest.newBuilder(URI.create(base + "/api/events/count"))
        .header("Authorization", "Bearer " + tenant.token()).GET(), 200).strip());
  }

  /** SIGSTOP to the broker: it keeps its connections but answers nothing until {@link #thawKafka()}. */
  void freezeKafka() throws Exception {
    signalKafka("STOP");
  }

  /** SIGCONT to the broker. */
  void thawKafka() throws Exception {
    signalKafka("CONT");
  }

  private void signalKafka(String signal) throws Exception {
    signal(backing.kafka().pid(), signal);
  }

  /** The broker, for clients of the services' listener (operator, gateway and worker logins). */
  KafkaBroker kafka() {
    return backing.kafka();
  }

  /** A Kafka credential for direct producers, issued to the tenant through the API (its answer as JSON). */
  JsonNode kafkaCredential(Tenant tenant) throws Exception {
    return JSON.readTree(send(HttpRequest.newBuilder(URI.create(base + "/users/kafka-credentials"))
        .header("Authorization", "Bearer " + tenant.token()).POST(HttpRequest.BodyPublishers.noBody()), 201));
  }

  /** Client properties of a direct producer logged in with an issued credential, on the producers' listener. */
  /** Switches the ingress topic to producer times, as an operator may create it. */
  void useProducerTimesOnIngress() throws Exception {
    try (Admin admin = Admin.create(kafka().operatorProperties())) {
      ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.INGRESS);
      admin.incrementalAlterConfigs(Map.of(topic, List.of(new AlterConfigOp(new ConfigEntry(
          TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "CreateTime"), AlterConfigOp.OpType.SET)))).all().get();
    }
  }

  static Map<String, Object> producerProperties(JsonNode credential) {
    Map<String, Object> properties = new HashMap<>(new KafkaLogin(credential.path("security_protocol").asText(),
        credential.path("username").asText(), credential.path("password").asText()).clientProperties());
    properties.put("bootstrap.servers", credential.path("bootstrap_servers").asText());
    return properties;
  }

  /** Events of the tenant stored in InfluxDB (each event is one point; a replay overwrites its own point). */
  long storedEvents(String tenant) throws Exception {
    return count(tenant, "SELECT count(\"id\") FROM /.*/");
  }

  /** A statement run as InfluxDB's admin in the tenant's database, as an operator with shell access could. */
  JsonNode influxAsAdmin(String tenant, String statement) {
    return influx.query(InfluxNames.database(tenant), statement);
  }

  /** A line written straight into the tenant's database as InfluxDB's admin, past the service. */
  void writeAsAdmin(String tenant, String line) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(influx.url()
        + "/write?precision=ns&db=" + InfluxNames.database(tenant)))
        .header("Authorization", influx.admin().basicAuthorization())
        .POST(HttpRequest.BodyPublishers.ofString(line)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 204) {
      throw new IllegalStateException("write: " + response.statusCode() + " " + response.body());
    }
  }

  /**
   * The series key of a tenant's point read with {@code SELECT *}: its measurement and its non-empty tags (the columns
   * InfluxDB lists as the measurement's tag keys: the tenant's shape), escaped.
   */
  String seriesKeyOf(String tenant, JsonNode series) {
    String measurement = series.path("name").asText();
    List<String> tags = new ArrayList<>();
    influxAsAdmin(tenant, "SHOW TAG KEYS FROM \"" + measurement + "\"").path("results").path(0).path("series")
        .path(0).path("values").forEach(row -> tags.add(row.path(0).asText()));
    StringBuilder key = new StringBuilder(LineProtocol.escapeMeasurement(measurement));
    List<String> columns = new ArrayList<>();
    series.path("columns").forEach(c -> columns.add(c.asText()));
    JsonNode values = series.path("values").path(0);
    for (String tag : tags) {
      int index = columns.indexOf(tag);
      if (index >= 0 && !values.path(index).isNull() && !values.path(index).asText().isEmpty()) {
        key.append(',').append(tag).append('=').append(LineProtocol.escapeTag(values.path(index).asText()));
      }
    }
    return key.toString();
  }

  /** Sends a signal ({@code STOP}, {@code CONT}) to a process. */
  static void signal(long pid, String signal) throws Exception {
    if (new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor() != 0) {
      throw new IllegalStateException("kill -" + signal + " failed");
    }
  }

  /** The server's databases, as the admin sees them. */
  String databases() {
    return influx.execute("SHOW DATABASES").toString();
  }

  /** Entries of the tenant's trail index: one per stored event, or a trail lookup misses one. */
  long trailEntries(String tenant) throws Exception {
    return count(tenant, "SELECT count(\"event_id\") FROM \"" + InfluxNames.TRAILS + "\"");
  }

  private long count(String tenant, String statement) {
    long total = 0;
    for (JsonNode series : influx.query(InfluxNames.database(tenant), statement).path("results").path(0)
        .path("series")) {
      total += series.path("values").path(0).path(1).asLong();
    }
    return total;
  }

  private String post(String path, String form, int status) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form)), status);
  }

  private static String send(HttpRequest.Builder request, int status) throws Exception {
    HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != status) {
      throw new IllegalStateException(response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  /** Each service's state and last log lines: printed when an assertion fails, since the logs are gone with CI. */
  String describe() {
    StringBuilder text = new StringBuilder("cluster logs in ").append(logs);
    for (ChildProcess process : processes) {
      text.append("\n--- ").append(process.name()).append(process.isAlive() ? " (running)" : " (ended)").append('\n')
          .append(process.tail(25));
    }
    return text.toString();
  }

  @Override
  public void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).close();
    }
    influx.close();
    backing.close();
    BackingServices.deleteTree(dir);
  }
}
