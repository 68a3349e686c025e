package io.auditlog.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.infra.BackingServices;
import io.auditlog.infra.Ports;
import io.auditlog.infra.ProjectLayout;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The start command as a user runs it: a separate launcher process that starts Kafka, PostgreSQL, InfluxDB and the
 * three services as processes of their own. One event travels gateway → Kafka → worker → InfluxDB → query-service →
 * gateway; then SIGTERM must leave no process and no port behind.
 */
class LocalStackIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "Stack@Test123";
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void oneEventTravelsTheWholePathAndSigtermStopsEverything() throws Exception {
    Path state = Files.createTempDirectory("auditlog-stack-it-");
    state.toFile().setExecutable(true, false);
    int port = Ports.free();
    Path log = state.resolve("launcher.log");
    Process launcher = launch(state, port, PASSWORD, log);
    String base = "http://127.0.0.1:" + port;
    try {
      awaitReady(launcher, log, base);
      JsonNode health = JSON.readTree(get(base + "/health", null).body());
      assertThat(health.path("status").asText()).isEqualTo("UP");
      assertThat(health.path("checks").path("kafka").asText()).isEqualTo("UP");
      assertThat(health.path("checks").path("postgres").asText()).isEqualTo("UP");
      assertThat(health.path("checks").path("influxdb").asText()).isEqualTo("UP");

      String token = JSON.readTree(send(HttpRequest.newBuilder(URI.create(base + "/auth/login"))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(HttpRequest.BodyPublishers.ofString("username=admin&password=Stack%40Test123")), 200))
          .path("access_token").asText();
      String accessKey = JSON.readTree(get(base + "/users/access-key/me", token).body()).path("access_key").asText();

      byte[] sent = seedEvent();
      JsonNode accepted = JSON.readTree(send(HttpRequest.newBuilder(URI.create(base + "/audit/log"))
          .header("api-key", accessKey).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(sent)), 202));
      assertThat(accepted.path("accepted").asInt()).isEqualTo(1);
      String eventId = accepted.path("event_id").asText();
      String id = accepted.path("ids").path(0).asText();

      JsonNode page = awaitNonEmpty(base + "/audit/log?category=event_name&app=app_name", token);
      assertThat(page).hasSize(1);
      ObjectNode stored = (ObjectNode) page.get(0);
      assertThat(stored.path("id").asText()).isEqualTo(id);
      assertThat(stored.path("event_id").asText()).isEqualTo(eventId);
      assertThat(stored.path("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z");
      assertThat(stored.path("event").path("stage").asInt()).isEqualTo(1);
      stored.remove(List.of("id", "event_id", "timestamp"));
      ((ObjectNode) stored.get("event")).remove("stage");
      assertThat(stored).isEqualTo(JSON.readTree(sent));

      JsonNode trail = JSON.readTree(get(base + "/audit/log/" + eventId, token).body());
      assertThat(trail).hasSize(1);
      assertThat(trail.get(0).path("id").asText()).isEqualTo(id);
    } finally {
      try {
        stopAndCheckNothingIsLeft(launcher, log);
      } finally {
        BackingServices.deleteTree(state);
      }
    }
  }

  private void stopAndCheckNothingIsLeft(Process launcher, Path log) throws Exception {
    List<ProcessHandle> children = launcher.descendants().toList();
    Set<Integer> ports = portsIn(Files.readString(log));
    launcher.destroy();
    assertThat(launcher.waitFor(90, TimeUnit.SECONDS)).as("launcher exits on SIGTERM").isTrue();
    assertThat(children).as("services started").hasSizeGreaterThanOrEqualTo(6);
    for (ProcessHandle child : children) {
      assertThat(child.isAlive()).as("process %d (%s) still alive", child.pid(), child.info().command()).isFalse();
    }
    for (int port : ports) {
      assertThat(Ports.isOpen(port)).as("port %d still open", port).isFalse();
    }
  }

  /** Every 127.0.0.1 port the launcher's banner names. */
  private static Set<Integer> portsIn(String banner) {
    Set<Integer> ports = new TreeSet<>();
    Matcher m = Pattern.compile("127\\.0\\.0\\.1:(\\d+)").matcher(banner);
    while (m.find()) {
      ports.add(Integer.parseInt(m.group(1)));
    }
    return ports;
  }

  /** The launcher as {@code bin/start} runs it, in its own process, with its output in {@code log}. */
  static Process launch(Path state, int port, String adminPassword, Path log) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(ProjectLayout.javaBinary(), "-cp", runtimeClasspath(),
        LocalStack.class.getName())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().put("AUDIT_STATE_DIR", state.toString());
    builder.environment().put("AUDIT_PORT", Integer.toString(port));
    builder.environment().put("AUDIT_ADMIN_PASSWORD", adminPassword);
    builder.environment().put("AUDIT_HOME", ProjectLayout.locate().root().toString());
    return builder.start();
  }

  static void awaitReady(Process launcher, Path log, String base) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    while (System.nanoTime() < deadline) {
      assertThat(launcher.isAlive()).as("launcher died:\n%s", Files.readString(log)).isTrue();
      if (Files.readString(log).contains("ready.")) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("stack not ready in time:\n" + Files.readString(log));
  }

  private JsonNode awaitNonEmpty(String url, String token) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> response = get(url, token);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      JsonNode page = JSON.readTree(response.body());
      if (page.size() > 0) {
        return page;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the event never became queryable at " + url);
  }

  private HttpResponse<String> get(String url, String token) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String send(HttpRequest.Builder request, int expectedStatus) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
    return response.body();
  }

  private static byte[] seedEvent() throws IOException {
    try (InputStream in = LocalStackIT.class.getResourceAsStream("/seed-event.json")) {
      return in.readAllBytes();
    }
  }

  /**
   * The launcher's own classes and its runtime dependencies — what the shaded stack.jar of {@code bin/start} holds —
   * so a dependency that only the tests have fails here instead of at the user's first start.
   */
  private static String runtimeClasspath() throws IOException {
    Path target = Path.of("target");
    return target.resolve("classes").toAbsolutePath() + java.io.File.pathSeparator
        + Files.readString(target.resolve("runtime-classpath.txt")).strip();
  }
}
