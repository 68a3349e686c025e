package io.auditlog.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditlog.gateway.storage.InstanceClaim;
import io.auditlog.model.Json;
import io.auditlog.model.SampleEvents;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Gateways sharing the accounts database never stamp in the same slot: each holds its instance number as a
 * PostgreSQL advisory lock; a configured number already held stops start-up; a lost lock pauses ingestion until the
 * number is locked again, and so does a connection that stops answering for the lease, but not one that answers late
 * within it.
 */
class InstanceClaimIT {

  private static final String TOPIC = "instance-it-" + UUID.randomUUID();

  @Test
  void twoGatewaysTakeDifferentNumbersAndAHeldNumberStopsStartUp() throws Exception {
    try (TestGateway first = new TestGateway(Map.of("AUDIT_TOPIC", TOPIC));
        TestGateway second = new TestGateway(Map.of("AUDIT_TOPIC", TOPIC))) {
      assertThat(first.verticle.instance()).isNotEqualTo(second.verticle.instance());
      assertThat(lockHolders(first.verticle.instance())).isEqualTo(1);
      assertThatThrownBy(() -> new TestGateway(Map.of("AUDIT_TOPIC", TOPIC,
          "AUDIT_INSTANCE_ID", Integer.toString(first.verticle.instance()))))
          .hasStackTraceContaining("is held by another running gateway");
    }
  }

  @Test
  void aLostLockPausesIngestionUntilTheNumberIsLockedAgain() throws Exception {
    try (TestGateway gateway = new TestGateway(Map.of("AUDIT_TOPIC", TOPIC))) {
      int number = gateway.verticle.instance();
      String key = gateway.adminAccessKey();
      assertThat(ingest(gateway, key).statusCode()).isEqualTo(202);
      try (Connection thief = connect()) {
        // End the gateway's session, and hold its number before the gateway can lock it again.
        try (PreparedStatement kill = thief.prepareStatement("SELECT pg_terminate_backend(pid) FROM pg_locks"
            + " WHERE locktype = 'advisory' AND classid = ? AND objid = ? AND granted")) {
          kill.setInt(1, InstanceClaim.LOCK_SPACE);
          kill.setInt(2, number);
          kill.executeQuery().close();
        }
        try (PreparedStatement steal = thief.prepareStatement("SELECT pg_advisory_lock(?, ?)")) {
          steal.setInt(1, InstanceClaim.LOCK_SPACE);
          steal.setInt(2, number);
          steal.executeQuery().close();
        }
        assertPaused(gateway, key, Duration.ofSeconds(5));
        // Held by another session: it stays paused.
        Thread.sleep(2_500);
        assertThat(ingest(gateway, key).statusCode()).isEqualTo(503);
      }
      assertResumes(gateway, key, number);
    }
  }

  @Test
  void aConnectionThatStopsAnsweringCountsAsTheLockLost() throws Exception {
    try (TestGateway gateway = watching("300ms", "1500ms")) {
      int number = gateway.verticle.instance();
      String key = gateway.adminAccessKey();
      assertThat(ingest(gateway, key).statusCode()).isEqualTo(202);
      long backend = lockHolderPid(number);
      whileFrozen(backend, () -> assertPaused(gateway, key, Duration.ofSeconds(5)));
      assertResumes(gateway, key, number);
      assertThat(lockHolderPid(number)).isNotEqualTo(backend);
    }
  }

  /**
   * A server that answers late, within the lease, as a gateway or database busy for a moment does: ingestion goes on
   * and the lock stays on its connection.
   */
  @Test
  void anAnswerLateWithinTheLeaseKeepsTheLock() throws Exception {
    try (TestGateway gateway = watching("200ms", "5s")) {
      String key = gateway.adminAccessKey();
      long backend = lockHolderPid(gateway.verticle.instance());
      List<Integer> statuses = new ArrayList<>();
      whileFrozen(backend, () -> {
        long until = System.nanoTime() + Duration.ofMillis(1_500).toNanos();
        while (System.nanoTime() < until) {
          statuses.add(ingest(gateway, key).statusCode());
          Thread.sleep(100);
        }
      });
      Thread.sleep(1_000);
      statuses.add(ingest(gateway, key).statusCode());
      assertThat(statuses).hasSizeGreaterThan(3).containsOnly(202);
      assertThat(lockHolderPid(gateway.verticle.instance())).isEqualTo(backend);
    }
  }

  /** The claim's session asks the real server to wait for a silent client at least {@code SERVER_PATIENCE}. */
  @Test
  void theServerIsAskedToWaitForASilentClientLongerThanAnyLease() throws Exception {
    try (Connection connection = connect()) {
      connection.createStatement().executeQuery(InstanceClaim.PATIENCE).close();
      Map<String, Long> settings = new HashMap<>();
      try (ResultSet rows = connection.createStatement().executeQuery("SELECT name, setting FROM pg_settings"
          + " WHERE name LIKE 'tcp_%'")) {
        while (rows.next()) {
          settings.put(rows.getString(1), rows.getLong(2));
        }
      }
      long patience = InstanceClaim.SERVER_PATIENCE.toSeconds();
      assertThat(settings.get("tcp_user_timeout")).as(settings.toString()).isEqualTo(patience * 1_000);
      assertThat(settings.get("tcp_keepalives_idle") + settings.get("tcp_keepalives_interval")
          * settings.get("tcp_keepalives_count")).as(settings.toString()).isEqualTo(patience);
    }
  }

  private static void assertPaused(TestGateway gateway, String key, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    HttpResponse<String> answer = ingest(gateway, key);
    while (answer.statusCode() == 202 && System.nanoTime() < deadline) {
      Thread.sleep(100);
      answer = ingest(gateway, key);
    }
    assertThat(answer.statusCode()).isEqualTo(503);
    assertThat(Json.MAPPER.readTree(answer.body()).path("detail").path("type").asText())
        .isEqualTo("instance_unclaimed");
    assertThat(TestGateway.send(gateway.request("/health")).body()).contains("\"instance\":\"DOWN");
  }

  private static void assertResumes(TestGateway gateway, String key, int number) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    int status = 0;
    while (status != 202 && System.nanoTime() < deadline) {
      Thread.sleep(200);
      status = ingest(gateway, key).statusCode();
    }
    assertThat(status).isEqualTo(202);
    assertThat(lockHolders(number)).isEqualTo(1);
  }

  private static TestGateway watching(String heartbeat, String lease) throws Exception {
    return new TestGateway(Map.of("AUDIT_TOPIC", TOPIC, "AUDIT_INSTANCE_HEARTBEAT", heartbeat,
        "AUDIT_INSTANCE_LEASE", lease));
  }

  /** Runs {@code during} while the server process is frozen: it answers and closes nothing, as over a cut network. */
  private static void whileFrozen(long backend, Step during) throws Exception {
    signal("STOP", backend);
    try {
      during.run();
    } finally {
      signal("CONT", backend);
    }
  }

  private interface Step {
    void run() throws Exception;
  }

  private static void signal(String name, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
    assertThat(kill.waitFor()).isZero();
  }

  private static HttpResponse<String> ingest(TestGateway gateway, String key) throws Exception {
    return TestGateway.send(gateway.request("/audit/log").header("api-key", key)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(SampleEvents.seedJson().toString())));
  }

  private static long lockHolders(int number) throws Exception {
    return lockQuery("count(*)", number);
  }

  private static long lockHolderPid(int number) throws Exception {
    return lockQuery("min(pid)", number);
  }

  private static long lockQuery(String column, int number) throws Exception {
    try (Connection connection = connect();
        PreparedStatement query = connection.prepareStatement("SELECT " + column + " FROM pg_locks"
            + " WHERE locktype = 'advisory' AND classid = ? AND objid = ? AND granted")) {
      query.setInt(1, InstanceClaim.LOCK_SPACE);
      query.setInt(2, number);
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  private static Connection connect() throws Exception {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + TestGateway.SERVICES.postgres().port()
        + "/auditlog", "auditlog", TestGateway.SERVICES.postgres().password());
  }
}
