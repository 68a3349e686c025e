package io.auditlog.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.infra.BackingServices;
import io.auditlog.infra.Ports;
import io.auditlog.infra.Readiness;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The start command keeps what it started running: under the real launcher process, SIGKILL of the ingest worker,
 * of the query-service and of InfluxDB — each is back within 10 s, by itself, and every event the gateway accepted
 * meanwhile (events keep flowing the whole time) is stored exactly once.
 */
class SupervisedStackIT {

  private static final String PASSWORD = "Supervised@Test123";
  private static final Duration BACK_WITHIN = Duration.ofSeconds(10);

  @Test
  void killedProcessesComeBackByThemselvesAndNothingIsLostOrDoubled() throws Exception {
    Path state = Files.createTempDirectory("auditlog-supervised-it-");
    state.toFile().setExecutable(true, false);
    int port = Ports.free();
    Path log = state.resolve("launcher.log");
    Process launcher = LocalStackIT.launch(state, port, PASSWORD, log);
    String base = "http://127.0.0.1:" + port;
    try {
      LocalStackIT.awaitReady(launcher, log, base);
      String banner = Files.readString(log);
      Cluster.Tenant admin = admin(base);
      EventStream stream = new EventStream(base, List.of(admin), 900, 10, 40).start();
      while (stream.answered.get() < 50) {
        Thread.sleep(50);
      }

      killAndAwaitReturn(launcher, banner, "ingest-worker-1", "/health", 200);
      killAndAwaitReturn(launcher, banner, "query-service", "/health", 200);
      killAndAwaitReturn(launcher, banner, "influxdb", "/ping", 204);

      stream.await();
      assertThat(stream.refused.get()).isZero();
      assertThat(stream.acceptedTotal()).isEqualTo(9_000);
      assertThat(awaitCount(base, admin, 9_000)).as(() -> "stored events\n" + tail(log)).isEqualTo(9_000);
      assertThat(Files.readString(log)).contains("ingest-worker-1 (pid ").contains("exited with status 137")
          .contains("query-service is running again").contains("influxdb is running again");
    } finally {
      launcher.destroy();
      assertThat(launcher.waitFor(90, TimeUnit.SECONDS)).as("launcher exits on SIGTERM").isTrue();
      BackingServices.deleteTree(state);
    }
  }

  /** SIGKILL of the named process (its pid from the banner), then waits for a new one to answer on its address. */
  private static void killAndAwaitReturn(Process launcher, String banner, String name, String path, int status)
      throws Exception {
    Matcher line = Pattern.compile("  " + Pattern.quote(name) + ": (http://127\\.0\\.0\\.1:\\d+) \\(pid (\\d+)\\)")
        .matcher(banner);
    assertThat(line.find()).as("%s in the banner:\n%s", name, banner).isTrue();
    String url = line.group(1);
    long pid = Long.parseLong(line.group(2));
    ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
    assertThat(launcher.descendants().anyMatch(child -> child.pid() == pid)).isTrue();
    process.destroyForcibly();
    long killed = System.nanoTime();
    process.onExit().get(10, TimeUnit.SECONDS);
    while (!Readiness.answers(url + path, status)) {
      assertThat(Duration.ofNanos(System.nanoTime() - killed)).as("%s back within %s", name, BACK_WITHIN)
          .isLessThan(BACK_WITHIN);
      assertThat(launcher.isAlive()).as("launcher alive").isTrue();
      Thread.sleep(100);
    }
    System.out.printf("%s answered again %.1f s after SIGKILL%n", name, (System.nanoTime() - killed) / 1e9);
  }

  private static Cluster.Tenant admin(String base) throws Exception {
    String token = Cluster.JSON.readTree(send(HttpRequest.newBuilder(URI.create(base + "/auth/login"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("username=admin&password="
            + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8))))).path("access_token").asText();
    JsonNode me = Cluster.JSON.readTree(send(HttpRequest.newBuilder(URI.create(base + "/users/me"))
        .header("Authorization", "Bearer " + token).GET()));
    String key = Cluster.JSON.readTree(send(HttpRequest.newBuilder(URI.create(base + "/users/access-key/me"))
        .header("Authorization", "Bearer " + token).GET())).path("access_key").asText();
    return new Cluster.Tenant(me.path("id").asText(), "admin", PASSWORD, key, token);
  }

  /** The stored count once it reaches {@code expected} (or stops changing for a while), read through the API. */
  private static long awaitCount(String base, Cluster.Tenant tenant, long expected) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    long count = -1;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> response = Cluster.HTTP.send(HttpRequest.newBuilder(URI.create(base
          + "/api/events/count")).header("Authorization", "Bearer " + tenant.token()).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200) {
        count = Long.parseLong(response.body().strip());
        if (count >= expected) {
          Thread.sleep(1_000);
          return Long.parseLong(Cluster.HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/events/count"))
              .header("Authorization", "Bearer " + tenant.token()).GET().build(),
              HttpResponse.BodyHandlers.ofString()).body().strip());
        }
      }
      Thread.sleep(500);
    }
    return count;
  }

  private static String send(HttpRequest.Builder request) throws Exception {
    HttpResponse<String> response = Cluster.HTTP.send(request.timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.body();
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (java.io.IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
