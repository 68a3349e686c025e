package io.auditlog.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.infra.BackingServices;
import io.auditlog.infra.Ports;
import io.auditlog.infra.ProjectLayout;
import io.auditlog.model.Json;
import io.auditlog.stack.LocalStack;
import io.auditlog.stack.StackConfig;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local stack in a scratch folder on free ports, signed in as its admin: what every benchmark runs against.
 * Closing it stops every process and removes the folder.
 */
final class BenchStack implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final LocalStack stack;
  final String base;
  final String token;
  final String tenant;
  final String accessKey;
  /** The gateway's producer compression, which the raw Kafka measurements use too. */
  final String kafkaCompression;
  private final Path state;

  private BenchStack(Path state, LocalStack stack, String token, String tenant, String accessKey,
      String kafkaCompression) {
    this.state = state;
    this.stack = stack;
    this.base = stack.baseUrl();
    this.token = token;
    this.tenant = tenant;
    this.accessKey = accessKey;
    this.kafkaCompression = kafkaCompression;
  }

  /** A signed-up account: its bearer token, tenant, access key, and its HTTP basic {@code Authorization} value. */
  record Account(String token, String tenant, String accessKey, String basic) {
  }

  /**
   * A new account with a tenant (an InfluxDB database) of its own, signed up and activated through the API (the
   * stack runs in dev mail mode, which returns the activation link).
   */
  Account newAccount(String username) throws Exception {
    String password = "Bench@12345";
    JsonNode signup = Json.MAPPER.readTree(send(HttpRequest.newBuilder(URI.create(base + "/auth/signup"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("username=" + username + "&email=" + username
            + "%40example.org&password=Bench%4012345&repeatPassword=Bench%4012345")).build()).body());
    Matcher link = Pattern.compile("(http://\\S+key=[A-Za-z0-9_-]+)")
        .matcher(signup.path("msg").asText());
    if (!link.find()) {
      throw new IllegalStateException("no activation link in " + signup);
    }
    send(HttpRequest.newBuilder(URI.create(link.group(1))).build());
    String token = login(base, username, password);
    return new Account(token, get(base, token, "/users/me").path("id").asText(),
        get(base, token, "/users/access-key/me").path("access_key").asText(),
        "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
  }

  private static String login(String base, String username, String password) throws Exception {
    return Json.MAPPER.readTree(send(HttpRequest.newBuilder(URI.create(base + "/auth/login"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("username=" + username + "&password="
            + URLEncoder.encode(password, StandardCharsets.UTF_8))).build()).body())
        .path("access_token").asText();
  }

  /** Starts the stack; {@code javaOptions} go to each service's JVM (e.g. a JFR recording into the scratch folder). */
  static BenchStack start(String javaOptions) throws Exception {
    return start(javaOptions, true);
  }

  /** Starts the stack with the verifiable history on or off ({@code AUDIT_TLOG} of the workers and query-service). */
  static BenchStack start(String javaOptions, boolean history) throws Exception {
    ProjectLayout layout = ProjectLayout.locate();
    Path state = Files.createTempDirectory("auditlog-bench-");
    state.toFile().setExecutable(true, false);
    Map<String, String> env = new HashMap<>(Map.of("AUDIT_STATE_DIR", state.toString(),
        "AUDIT_PORT", Integer.toString(Ports.free())));
    env.put("AUDIT_JAVA_OPTS", javaOptions.replace("{state}", state.toString()));
    // Every account of a run signs up from this one address: the many-tenants phase signs up a thousand.
    env.put("AUDIT_MAIL_MAX_PER_ADDRESS", "1000000");
    env.put("AUDIT_TLOG", history ? "on" : "off");
    for (String passed : List.of("AUDIT_KAFKA_COMPRESSION", "AUDIT_WORKER_HEAP_MB")) {
      String value = System.getenv(passed);
      if (value != null) {
        env.put(passed, value);
      }
    }
    StackConfig config = StackConfig.from(env, layout.root());
    LocalStack stack;
    try {
      stack = LocalStack.start(layout, config);
    } catch (RuntimeException e) {
      // The launcher has stopped what it started; its folder is this run's to remove.
      BackingServices.deleteTree(state);
      throw e;
    }
    try {
      String base = stack.baseUrl();
      String token = login(base, "admin", config.adminPassword());
      String tenant = get(base, token, "/users/me").path("id").asText();
      String key = get(base, token, "/users/access-key/me").path("access_key").asText();
      return new BenchStack(state, stack, token, tenant, key, config.kafkaCompression());
    } catch (Exception | Error e) {
      stack.close();
      BackingServices.deleteTree(state);
      throw e;
    }
  }

  Path state() {
    return state;
  }

  JsonNode get(String path) throws Exception {
    return get(base, token, path);
  }

  private static JsonNode get(String base, String token, String path) throws Exception {
    return Json.MAPPER.readTree(send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(60)).build()).body());
  }

  static HttpResponse<String> send(HttpRequest request) throws Exception {
    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 300) {
      throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + ": " + response.body());
    }
    return response;
  }

  @Override
  public void close() {
    try {
      stack.close();
    } finally {
      BackingServices.deleteTree(state);
    }
  }
}
