package io.auditlog.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.gateway.accounts.SensorAuth;
import io.auditlog.model.Json;
import io.auditlog.modsecurity.MlogcClient;
import io.auditlog.modsecurity.Samples;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The ModSecurity receiver through the faithful mlogc client: authentication, the answers of §1.1 with their reason
 * phrases, and idempotency (a resend, with other line endings or another boundary, stores nothing new).
 */
class ReceiverIT {

  private static final String TOPIC = "receiver-it-" + UUID.randomUUID();
  private static TestGateway gateway;
  private static String jwt;
  private static String ingestToken;

  @BeforeAll
  static void start() throws Exception {
    gateway = new TestGateway(Map.of("AUDIT_TOPIC", TOPIC, "AUDIT_MODSEC_MAX_ENTRY_BYTES", "65536",
        "AUDIT_LOGIN_MAX_FAILURES_ADDRESS", "12"));
    jwt = gateway.login("admin", TestGateway.ADMIN_PASSWORD);
    ingestToken = token(List.of("ingest"));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  @BeforeEach
  void fresh() throws Exception {
    TestGateway.forgetAttempts();
  }

  private static String token(List<String> permissions) throws Exception {
    return tokenJson(permissions, 201).path("token").asText();
  }

  private static JsonNode tokenJson(List<String> permissions, int status) throws Exception {
    String body = Json.toText(Json.MAPPER.createObjectNode().put("name", "sensor")
        .set("permissions", Json.MAPPER.valueToTree(permissions)));
    return TestGateway.expect(gateway.bearer("/users/tokens", jwt).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)), status);
  }

  private static MlogcClient client(String sensor, String token) {
    return new MlogcClient(gateway.base + "/rpc/auditLogReceiver?env=staging", sensor, token);
  }

  private static HttpResponse<String> ready(String authorization) throws Exception {
    HttpRequest.Builder request = gateway.request("/rpc/auditLogReceiver").GET();
    return TestGateway.send(authorization == null ? request : request.header("Authorization", authorization));
  }

  private static String basic(String sensor, String token) {
    return "Basic " + bare(sensor, token);
  }

  private static String bare(String sensor, String token) {
    return Base64.getEncoder().encodeToString((sensor + ":" + token).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void ingestIsATokenPermissionOfItsOwn() throws Exception {
    assertThat(tokenJson(List.of("ingest"), 201).path("permissions").toString()).isEqualTo("[\"ingest\"]");
    assertThat(tokenJson(List.of("ingest", "read"), 422).path("detail").get(0).path("type").asText())
        .isEqualTo("value_error.permissions");
    HttpResponse<String> console = TestGateway.send(gateway.request("/api/events/count")
        .header("X-Auth-Token", ingestToken).GET());
    assertThat(console.statusCode()).as(console.body()).isEqualTo(403);
  }

  @Test
  void aSensorSetupIsCheckedWithAGet() throws Exception {
    HttpResponse<String> ready = ready(basic("edge-01", ingestToken));
    assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
    assertThat(Json.MAPPER.readTree(ready.body()).path("status").asText()).isEqualTo("ready");
  }

  @Test
  void withoutCredentialsA401WithTheChallenge() throws Exception {
    HttpResponse<String> missing = ready(null);
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"auditLogReceiver\"");
    MlogcClient.Answer put = client("edge-01", ingestToken).withAuthorization(null)
        .put(Samples.file("S1"), Samples.summary("S1"));
    assertThat(put.status()).isEqualTo(401);
    assertThat(put.reason()).isEqualTo("Sensor credentials are missing");
    assertThat(put.headers().get("www-authenticate")).isEqualTo("Basic realm=\"auditLogReceiver\"");
  }

  /**
   * An entry refused before it is read (its sensor's credentials, its environment) is answered, and its connection
   * closed once the entry has come: before, the connection waited, unread, until the idle timeout.
   */
  @Test
  void anEntryRefusedUnreadClosesItsConnectionOnceItHasCome() throws Exception {
    String entry = "x".repeat(40_000);
    for (String refused : List.of(basic("edge-01", "wrong"), basic("edge 01", ingestToken))) {
      try (RawClient sensor = new RawClient("127.0.0.4", gateway)) {
        long started = System.nanoTime();
        sensor.send("PUT /rpc/auditLogReceiver HTTP/1.1\r\nHost: gateway\r\nAuthorization: " + refused
            + "\r\nContent-Length: " + entry.length() + "\r\n\r\n" + entry);
        assertThat(sensor.answer()).matches("(?s)HTTP/1.1 (401|422) .*").containsIgnoringCase("connection: close");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
      }
    }
  }

  @Test
  void aReadOnlyTokenIsForbiddenAndARevokedOneUnknown() throws Exception {
    assertThat(ready(basic("edge-01", token(List.of("read")))).statusCode()).isEqualTo(403);
    JsonNode created = tokenJson(List.of("ingest"), 201);
    String secret = created.path("token").asText();
    assertThat(ready(basic("edge-01", secret)).statusCode()).isEqualTo(200);
    TestGateway.expect(gateway.bearer("/users/tokens/" + created.path("id").asText(), jwt).DELETE(), 204);
    HttpResponse<String> revoked = ready(basic("edge-01", secret));
    assertThat(revoked.statusCode()).isEqualTo(401);
    assertThat(revoked.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"auditLogReceiver\"");
  }

  @Test
  void wrongTokensCountAgainstTheirAddress() throws Exception {
    int status = 401;
    for (int attempt = 0; attempt < 14 && status == 401; attempt++) {
      status = ready(basic("edge-guessed-" + attempt, "alt_wrong" + attempt)).statusCode();
    }
    assertThat(status).isEqualTo(429);
    assertThat(RawClient.get("127.0.0.2", gateway, "/rpc/auditLogReceiver",
        "Authorization: " + basic("edge-guessed", ingestToken) + "\r\n")).isEqualTo(200);
  }

  @Test
  void wrongTokensUnderASensorNameLockOutNeitherThatSensorNorAUserOfThatName() throws Exception {
    String name = "mallory" + UUID.randomUUID().toString().substring(0, 8);
    String password = "Mallory@12345";
    gateway.activeUser(name, "example.com", password);
    for (int attempt = 0; attempt < 14; attempt++) {
      assertThat(RawClient.get("127.0.0.3", gateway, "/rpc/auditLogReceiver",
          "Authorization: " + basic(name, "alt_wrong" + attempt) + "\r\n")).isIn(401, 429);
    }
    assertThat(ready(basic(name, ingestToken)).statusCode()).isEqualTo(200);
    assertThat(gateway.login(name, password)).isNotBlank();
  }

  @Test
  void bareBase64IsAccepted() throws Exception {
    assertThat(ready(bare("edge-01", ingestToken)).statusCode()).isEqualTo(200);
    assertThat(ready(bare("edge-01", ingestToken) + " x").statusCode()).isEqualTo(401);
  }

  @Test
  void onlyAnAuthenticatedBareSensorIsLoggedOnceAndItsNameCannotWriteALineOfItsOwn() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(SensorAuth.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    logger.addAppender(logged);
    try {
      String forged = "x\n2026-12-01T19:52:00.000Z ERROR [main] PasswordLogin - FORGED " + "y".repeat(4_000);
      assertThat(ready(bare(forged, "wrong")).statusCode()).isEqualTo(401);
      assertThat(logged.list).isEmpty();

      // A token's holder is logged, whatever name it sends (this one is then refused as a sensor name).
      String sensor = "edge-02\n" + "z".repeat(4_000);
      assertThat(ready(bare(sensor, ingestToken)).statusCode()).isEqualTo(422);
      assertThat(ready(bare(sensor, ingestToken)).statusCode()).isEqualTo(422);
      assertThat(ready(bare("edge-03", ingestToken)).statusCode()).isEqualTo(200);
      assertThat(logged.list).hasSize(2);
      String line = logged.list.get(0).getFormattedMessage();
      assertThat(line).doesNotContain("\n").contains("\"edge-02\\n").hasSizeLessThan(300);
      assertThat(logged.list.get(1).getFormattedMessage()).contains("\"edge-03\"");
    } finally {
      logger.detachAppender(logged);
    }
  }

  @Test
  void aSpaceInTheSensorNameOrABadEnvironmentIs422() throws Exception {
    HttpResponse<String> spaced = ready(basic("edge 01", ingestToken));
    assertThat(spaced.statusCode()).as(spaced.body()).isEqualTo(422);
    assertThat(spaced.body()).contains("username");
    MlogcClient.Answer env = new MlogcClient(gateway.base + "/rpc/auditLogReceiver?env=a%20b", "edge-01",
        ingestToken).put(Samples.file("S1"), Samples.summary("S1"));
    assertThat(env.status()).isEqualTo(422);
    assertThat(env.reason()).isEqualTo("Sensor name, app, env or category breaks the event rules");
  }

  @Test
  void aBadHashIs409WithItsCause() throws Exception {
    MlogcClient.Answer answer = client("edge-01", ingestToken).put(Samples.file("S1"),
        Samples.summary("S1"), "md5:00000000000000000000000000000000");
    assertThat(answer.status()).isEqualTo(409);
    assertThat(answer.reason()).isEqualTo("X-Content-Hash does not match the body");
    assertThat(Json.MAPPER.readTree(answer.body()).path("detail").path("type").asText()).isEqualTo("hash_mismatch");
  }

  @Test
  void anOversizeEntryIs409NotA413() throws Exception {
    byte[] big = new byte[70_000];
    MlogcClient.Answer answer = client("edge-01", ingestToken).put(big, "-");
    assertThat(answer.status()).isEqualTo(409);
    assertThat(answer.reason()).isEqualTo("Entry is too large");
  }

  @Test
  void anEntryWithoutZIs409() throws Exception {
    String s1 = Samples.concurrent("S1");
    byte[] cut = s1.substring(0, s1.indexOf("--5c1a3e7f-Z--")).getBytes(StandardCharsets.UTF_8);
    MlogcClient.Answer answer = client("edge-01", ingestToken).put(cut, Samples.summary("S1"));
    assertThat(answer.status()).as(answer.body()).isEqualTo(409);
    assertThat(answer.reason()).isEqualTo("Entry has no Z section");
    assertThat(Json.MAPPER.readTree(answer.body()).path("detail").path("type").asText()).isEqualTo("missing_z");
  }

  /**
   * Content a visitor controls (a 70 KB rule version, kilobytes of control characters in the URI, User-Agent and
   * Host) is cleaned and cut to fit the event rules: stored (200), never a 422 that mlogc would resend forever.
   * An event that still broke the rules would be a 409 {@code invalid_entry}, which mlogc drops.
   */
  @Test
  void anEntryWithOversizeOrControlCharacterContentIsStoredNotA422() throws Exception {
    MlogcClient sensor = client("edge-invalid", ingestToken);
    for (byte[] entry : List.of(overlongRuleVersion(), controlCharacters())) {
      MlogcClient.Answer answer = sensor.put(entry, "-");
      assertThat(answer.status()).as(answer.reason() + " " + answer.body()).isEqualTo(200);
      assertThat(Json.MAPPER.readTree(answer.body()).path("duplicate").asBoolean()).isFalse();
    }
  }

  /** A JSON entry whose rule version is longer than any event field may be. */
  static byte[] overlongRuleVersion() {
    return ("{\"transaction\": {\"client_ip\": \"203.0.113.9\", \"time_stamp\": \"Wed Mar 12 10:18:09 2025\","
        + " \"client_port\": 1, \"host_ip\": \"192.0.2.20\", \"host_port\": 443, \"unique_id\": \"poison-1\","
        + " \"request\": {\"method\": \"GET\", \"http_version\": 1.1, \"uri\": \"/x\","
        + " \"headers\": {\"Host\": \"a.example.com\"}}, \"response\": {\"http_code\": 403, \"headers\": {}},"
        + " \"messages\": [{\"message\": \"m\", \"details\": {\"match\": \"Access denied with code 403 (phase 2). x\","
        + " \"ruleId\": \"1\", \"ver\": \"" + "v".repeat(64_000) + "\", \"severity\": \"2\"}}]}}\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** A native entry whose request line, host and user agent are thousands of control characters. */
  static byte[] controlCharacters() {
    String ctl = "\u0001".repeat(4_000);
    return ("--ab12cd34-A--\n[12/Mar/2025:10:15:30 +0100] ctl-3 203.0.113.45 51234 192.0.2.10 443\n--ab12cd34-B--\n"
        + "GET /search?q=" + ctl + " HTTP/1.1\nHost: www.example.com" + ctl.substring(1_000) + "\nUser-Agent: " + ctl
        + "\nReferer: x\n\n--ab12cd34-F--\nHTTP/1.1 200 OK\n\n--ab12cd34-H--\nStopwatch: 1 2\n\n--ab12cd34-Z--\n\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aUniqueIdWithAControlCharacterIs409() throws Exception {
    String s1 = Samples.concurrent("S1").replace("Z9FSwn8AAQEAAB4rBgQAAAAA", "nul\u0000id");
    MlogcClient.Answer answer = client("edge-nul", ingestToken).put(s1.getBytes(StandardCharsets.UTF_8), "-");
    assertThat(answer.status()).as(answer.body()).isEqualTo(409);
    assertThat(answer.reason()).isEqualTo("Entry's unique id holds control characters or lone surrogates");
    assertThat(Json.MAPPER.readTree(answer.body()).path("detail").path("type").asText())
        .isEqualTo("invalid_unique_id");
  }

  /**
   * A JSON entry whose unique id holds a lone surrogate, escaped or as the raw bytes some encoders write for one: a
   * 409, refused before it is stored, each time. Before, its event was published and every answer (the first and each
   * resend) a 422, which a sensor resends forever.
   */
  @Test
  void aUniqueIdWithALoneSurrogateIs409() throws Exception {
    String escaped = "{\"transaction\":{\"client_ip\":\"203.0.113.9\",\"unique_id\":\"X\\ud800x\","
        + "\"request\":{\"method\":\"GET\",\"uri\":\"/\"}}}";
    byte[] raw = escaped.replace("X\\ud800x", "Y@@@y").getBytes(StandardCharsets.ISO_8859_1);
    int at = new String(raw, StandardCharsets.ISO_8859_1).indexOf("@@@");
    raw[at] = (byte) 0xED;
    raw[at + 1] = (byte) 0xA0;
    raw[at + 2] = (byte) 0x80;
    for (byte[] entry : List.of(escaped.getBytes(StandardCharsets.UTF_8), raw)) {
      for (int attempt = 0; attempt < 2; attempt++) {
        MlogcClient.Answer answer = client("edge-surrogate", ingestToken).put(entry, "-");
        assertThat(answer.status()).as(answer.body()).isEqualTo(409);
        assertThat(Json.MAPPER.readTree(answer.body()).path("detail").path("type").asText())
            .isEqualTo("invalid_unique_id");
      }
    }
  }

  @Test
  void s1AsIsWithCrlfAndWithANewBoundaryIsOneEvent() throws Exception {
    MlogcClient sensor = client("edge-idem", ingestToken);
    String s1 = Samples.concurrent("S1");
    JsonNode first = ok(sensor.put(s1.getBytes(StandardCharsets.UTF_8), Samples.summary("S1")));
    JsonNode crlf = ok(sensor.put(s1.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8), "-"));
    JsonNode boundary = ok(sensor.put(s1.replace("5c1a3e7f", "0badcafe").getBytes(StandardCharsets.UTF_8), "-"));
    assertThat(first.path("duplicate").asBoolean()).isFalse();
    assertThat(first.path("unique_id").asText()).isEqualTo("Z9FSwn8AAQEAAB4rBgQAAAAA");
    assertThat(List.of(crlf.path("id"), boundary.path("id"))).containsOnly(first.path("id"));
    assertThat(crlf.path("duplicate").asBoolean()).isTrue();
    assertThat(boundary.path("duplicate").asBoolean()).isTrue();
  }

  @Test
  void twoConcurrentPutsAndAResendAfterADroppedConnectionStoreOne() throws Exception {
    MlogcClient sensor = client("edge-race", ingestToken);
    byte[] s2 = Samples.file("S2");
    sensor.putAndDrop(s2, Samples.summary("S2"));
    List<CompletableFuture<MlogcClient.Answer>> racing = List.of(1, 2).stream()
        .map(i -> CompletableFuture.supplyAsync(() -> retried(sensor, s2))).toList();
    List<JsonNode> answers = racing.stream().map(CompletableFuture::join).map(ReceiverIT::ok).toList();
    assertThat(answers.get(0).path("id")).isEqualTo(answers.get(1).path("id"));
    // The dropped request may still be publishing when the two arrive: one of the three publishes, and only once.
    assertThat(answers).anySatisfy(a -> assertThat(a.path("duplicate").asBoolean()).isTrue());
  }

  @Test
  void theSameUniqueIdWithAnotherALineIsASecondEvent() throws Exception {
    MlogcClient sensor = client("edge-collide", ingestToken);
    String s1 = Samples.concurrent("S1");
    JsonNode first = ok(sensor.put(s1.getBytes(StandardCharsets.UTF_8), "-"));
    JsonNode other = ok(sensor.put(s1.replace("203.0.113.45 51234", "203.0.113.46 51234")
        .getBytes(StandardCharsets.UTF_8), "-"));
    assertThat(other.path("id")).isNotEqualTo(first.path("id"));
    assertThat(other.path("duplicate").asBoolean()).isFalse();
  }

  /** As mlogc does: anything but 200 or 409 is sent again, here after 200 ms. */
  private static MlogcClient.Answer retried(MlogcClient sensor, byte[] entry) {
    try {
      for (int attempt = 0; ; attempt++) {
        MlogcClient.Answer answer = sensor.put(entry, "-");
        if (answer.status() == 200 || answer.status() == 409 || attempt == 50) {
          return answer;
        }
        Thread.sleep(200);
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode ok(MlogcClient.Answer answer) {
    assertThat(answer.status()).as(answer.reason() + " " + answer.body()).isEqualTo(200);
    try {
      return Json.MAPPER.readTree(answer.body());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
