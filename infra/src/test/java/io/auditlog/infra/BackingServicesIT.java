package io.auditlog.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The three real services start on free loopback ports, answer (InfluxDB only to its admin), and stop by process id
 * leaving the ports free.
 */
class BackingServicesIT {

  /** One psql command's output, or "refused: ..." when it fails. */
  private static String psql(int port, String user, String password, String sql) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(PostgresServer.binDirectory().resolve("psql").toString(), "-h",
        "127.0.0.1", "-p", Integer.toString(port), "-U", user, "-d", "auditlog", "-w", "-At", "-c", sql)
        .redirectErrorStream(true);
    builder.environment().put("PGPASSWORD", password);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    return process.waitFor() == 0 ? output : "refused: " + output;
  }

  @Test
  void startsAnswersAndStopsCleanly() throws Exception {
    Path dir = Files.createTempDirectory("auditlog-infra-it-");
    dir.toFile().setExecutable(true, false);
    BackingServices services = BackingServices.start(dir, BackingServices.PortPlan.allFree(), 2, false,
        KafkaUsers.generate(), InfluxAccess.generate(), Secrets.generate());
    long[] pids = {services.kafka().pid(), services.postgres().pid(), services.influx().pid()};
    KafkaBroker.Listeners kafka = services.kafka().listeners();
    int[] ports = {kafka.producers(), kafka.internal(), kafka.controller(), services.postgres().port(),
        services.influx().port()};
    try {
      HttpClient http = HttpClient.newHttpClient();
      String create = URLEncoder.encode("CREATE DATABASE probe", StandardCharsets.UTF_8);
      HttpResponse<String> created = http.send(HttpRequest.newBuilder(
          URI.create(services.influx().url() + "/query?q=" + create)).POST(HttpRequest.BodyPublishers.noBody())
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(created.statusCode()).as("without credentials").isEqualTo(401);
      services.influx().execute("CREATE DATABASE probe");
      assertThat(services.influx().execute("SHOW DATABASES").toString()).contains("probe");
      assertThat(Ports.isOpen(kafka.producers())).isTrue();
      assertThat(Ports.isOpen(services.postgres().port())).isTrue();
      int pg = services.postgres().port();
      assertThat(psql(pg, "auditlog", "", "SELECT 1")).as("without a password").startsWith("refused");
      assertThat(psql(pg, "auditlog", "wrong", "SELECT 1")).as("with a wrong password").startsWith("refused");
      assertThat(psql(pg, "auditlog", services.postgres().password(),
          "SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user"))
          .as("the service role holds no administrative right").isEqualTo("f|f|f");
      assertThat(psql(pg, "auditlog", services.postgres().password(), "COPY (SELECT 1) TO PROGRAM 'true'"))
          .as("the service role cannot run programs").startsWith("refused");
    } finally {
      services.close();
      BackingServices.deleteTree(dir);
    }
    for (long pid : pids) {
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid %d alive", pid).isFalse();
    }
    for (int port : ports) {
      assertThat(Ports.isOpen(port)).as("port %d open", port).isFalse();
    }
  }

  /**
   * A freely chosen port that another program takes before the service binds it: each real service fails to bind it,
   * and starts on another; a configured port is not changed.
   */
  @Test
  void aServiceWhoseFreePortWasTakenStartsOnAnother() throws Exception {
    Path dir = Files.createTempDirectory("auditlog-ports-it-");
    dir.toFile().setExecutable(true, false);
    try (ServerSocket taken = new ServerSocket(Ports.free(), 50, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      try (PostgresServer postgres = BackingServices.onPorts(new int[] {0}, new int[] {port},
          p -> PostgresServer.start(dir.resolve("postgres"), p[0], "auditlog", false, Secrets.generate()))) {
        assertThat(postgres.port()).isNotEqualTo(port);
        assertThat(Ports.isOpen(postgres.port())).isTrue();
      }
      try (InfluxServer influx = BackingServices.onPorts(new int[] {0, 0}, new int[] {port, Ports.free()},
          p -> InfluxServer.start(dir.resolve("influxdb"), p[0], p[1], InfluxAccess.generate().admin()))) {
        assertThat(influx.port()).isNotEqualTo(port);
        assertThat(influx.execute("SHOW DATABASES").toString()).contains("results");
      }
      KafkaUsers users = KafkaUsers.generate();
      try (KafkaBroker kafka = BackingServices.onPorts(new int[] {0, 0, 0},
          new int[] {Ports.free(), Ports.free(), port}, p -> KafkaBroker.start(dir.resolve("kafka"),
              new KafkaBroker.Listeners(p[0], p[1], p[2]), 1, ProjectLayout.locate().kafkaLib(), users))) {
        assertThat(kafka.listeners().controller()).isNotEqualTo(port);
        assertThat(Ports.isOpen(kafka.listeners().producers())).isTrue();
      }
      assertThatThrownBy(() -> BackingServices.onPorts(new int[] {port}, new int[] {port},
          p -> PostgresServer.start(dir.resolve("configured"), p[0], "auditlog", false, Secrets.generate())))
          .hasMessageContaining("Address already in use");
    } finally {
      BackingServices.deleteTree(dir);
    }
  }
}
