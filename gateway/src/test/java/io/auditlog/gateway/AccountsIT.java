package io.auditlog.gateway;

import static io.auditlog.gateway.TestGateway.expect;
import static io.auditlog.gateway.TestGateway.link;
import static io.auditlog.gateway.TestGateway.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.model.SampleEvents;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every account flow of the API, against real PostgreSQL (and Kafka/InfluxDB where a flow reaches them). */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccountsIT {

  private static final String PASSWORD = "Password@12345";
  private static TestGateway gateway;
  private static String adminToken;

  @BeforeAll
  static void start() throws Exception {
    gateway = new TestGateway(Map.of(
        "AUDIT_KEY_TTL", "2s",
        "AUDIT_LOGIN_MAX_FAILURES_USER", "3",
        "AUDIT_LOGIN_MAX_FAILURES_ADDRESS", "25",
        "AUDIT_LOGIN_WINDOW", "3s"));
    adminToken = gateway.login("admin", TestGateway.ADMIN_PASSWORD);
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  private static String unique(String prefix) {
    return prefix + UUID.randomUUID().toString().substring(0, 8);
  }

  private static JsonNode signup(String username, String email, String password, String repeat, int status)
      throws Exception {
    return expect(gateway.formRequest("POST", "/auth/signup", Map.of("username", username, "email", email,
        "password", password, "repeatPassword", repeat)), status);
  }

  private static String key(String link) {
    return link.substring(link.indexOf("key=") + 4);
  }

  /** A new, activated account; answers its username. */
  private static String activeUser() throws Exception {
    return gateway.activeUser(unique("user"), "Example.COM", PASSWORD);
  }

  private static int ingestStatus(String accessKey) throws Exception {
    return send(gateway.request("/audit/log").header("api-key", accessKey).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(SampleEvents.seedJson().toString()))).statusCode();
  }

  @Test
  void signupActivationLoginAndAccessKeysAsTheSeedShows() throws Exception {
    String username = unique("seed");
    JsonNode created = signup(username, username + "@email.com", PASSWORD, PASSWORD, 201);
    assertThat(created.has("loc")).isTrue();
    assertThat(created.path("loc").isNull()).isTrue();
    assertThat(created.path("type").isNull()).isTrue();
    assertThat(created.path("msg").asText()).startsWith("Account created. Activate your account using "
        + gateway.base + "/auth/activate?key=");
    String link = link(created);

    expect(gateway.formRequest("POST", "/auth/login", Map.of("username", username, "password", PASSWORD)), 403);
    assertThat(expect(gateway.request(link).GET(), 200).path("msg").asText())
        .isEqualTo("User account " + username + " activated.");
    assertThat(expect(gateway.request(link).GET(), 410).path("detail").path("msg").asText())
        .isEqualTo("Token expired or invalid.");

    String token = gateway.login(username, PASSWORD);
    JsonNode me = expect(gateway.bearer("/users/me", token).GET(), 200);
    assertThat(me.path("username").asText()).isEqualTo(username);
    assertThat(me.path("email").asText()).isEqualTo(username + "@email.com");
    assertThat(me.path("is_active").asBoolean()).isTrue();
    assertThat(me.path("is_admin").asBoolean()).isFalse();
    assertThat(me.path("view").isNull()).isTrue();

    String key = expect(gateway.bearer("/users/access-key/me", token).GET(), 200).path("access_key").asText();
    assertThat(ingestStatus(key)).isEqualTo(202);
    String rotated = expect(gateway.bearer("/users/access-key/rotate", token)
        .POST(HttpRequest.BodyPublishers.noBody()), 200).path("access_key").asText();
    assertThat(rotated).isNotEqualTo(key);
    assertThat(ingestStatus(key)).isEqualTo(401);
    assertThat(ingestStatus(rotated)).isEqualTo(202);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "abc          | a@b.co    | Password@1   | Password@1   | username",
      "has space1   | a@b.co    | Password@1   | Password@1   | username",
      "user#name    | a@b.co    | Password@1   | Password@1   | username",
      "validname    | not-mail  | Password@1   | Password@1   | email",
      "validname    | a@b       | Password@1   | Password@1   | email",
      "validname    | a@b.co    | Pa@1         | Pa@1         | password",
      "validname    | a@b.co    | password@123 | password@123 | password",
      "validname    | a@b.co    | PASSWORD@123 | PASSWORD@123 | password",
      "validname    | a@b.co    | Password@abc | Password@abc | password",
      "validname    | a@b.co    | Password_123 | Password_123 | password",
      "validname    | a@b.co    | Password@123 | Password@124 | repeatPassword"})
  void signupFieldRulesReportTheirFormLoc(String username, String email, String password, String repeat,
      String field) throws Exception {
    JsonNode detail = signup(username, email, password, repeat, 422).path("detail");
    assertThat(detail).hasSize(1);
    assertThat(detail.get(0).path("loc").toString()).isEqualTo("[\"form\",\"" + field + "\"]");
  }

  @Test
  void aMismatchIsReportedOnlyOnceThePasswordPasses() throws Exception {
    JsonNode detail = signup("validname", "a@b.co", "weak", "other", 422).path("detail");
    assertThat(detail).hasSize(1);
    assertThat(detail.get(0).path("loc").toString()).isEqualTo("[\"form\",\"password\"]");
  }

  @Test
  void missingFieldsAreEachReported() throws Exception {
    JsonNode detail = expect(gateway.formRequest("POST", "/auth/signup", Map.of()), 422).path("detail");
    List<String> locs = new ArrayList<>();
    detail.forEach(d -> locs.add(d.path("loc").get(1).asText()));
    assertThat(locs).containsExactlyInAnyOrder("username", "email", "password", "repeatPassword");
  }

  @Test
  void duplicatesAreConflictsAndEmailsCompareCaseInsensitively() throws Exception {
    String username = unique("dup");
    signup(username, username + "@mail.com", PASSWORD, PASSWORD, 201);
    assertThat(signup(username, unique("other") + "@mail.com", PASSWORD, PASSWORD, 409).path("detail").path("msg")
        .asText()).isEqualTo("The username " + username + " is already registered.");
    assertThat(signup(unique("dup"), username + "@MAIL.com", PASSWORD, PASSWORD, 409).path("detail").path("msg")
        .asText()).isEqualTo("The email " + username + "@mail.com is already registered.");
  }

  @Test
  void activationKeysExpireAndResendIssuesANewOne() throws Exception {
    String username = unique("ttl");
    String email = username + "@mail.com";
    String first = link(signup(username, email, PASSWORD, PASSWORD, 201));
    Thread.sleep(2_500);
    expect(gateway.request(first).GET(), 410);
    JsonNode resent = expect(gateway.formRequest("POST", "/auth/activate/resend", Map.of("email", email)), 200);
    assertThat(resent.path("msg").asText()).startsWith("Activation key resent. Activate your account using ");
    expect(gateway.request(link(resent)).GET(), 200);
    assertThat(expect(gateway.formRequest("POST", "/auth/activate/resend", Map.of("email", email)), 409)
        .path("detail").path("msg").asText()).isEqualTo("Account is already active.");
    assertThat(expect(gateway.formRequest("POST", "/auth/activate/resend", Map.of("email", "nobody@x.org")), 404)
        .path("detail").path("msg").asText()).isEqualTo("nobody@x.org is not registered.");
    expect(gateway.formRequest("POST", "/auth/activate/resend", Map.of("email", "not-an-address")), 422);
  }

  @Test
  void keysAreNotInterchangeable() throws Exception {
    String username = unique("swap");
    String email = username + "@mail.com";
    String activation = key(link(signup(username, email, PASSWORD, PASSWORD, 201)));
    Map<String, String> fields = Map.of("newPassword", "Other@12345", "repeatPassword", "Other@12345");
    expect(gateway.formRequest("PATCH", "/auth/password/reset?key=" + activation, fields), 410);
    assertThat(ingestStatus(activation)).isEqualTo(401);
    expect(gateway.request("/auth/activate?key=" + activation).GET(), 200);
    String reset = key(link(expect(gateway.formRequest("POST", "/auth/password/forgot", Map.of("email", email)),
        200)));
    expect(gateway.request("/auth/activate?key=" + reset).GET(), 410);
    assertThat(ingestStatus(reset)).isEqualTo(401);
    expect(gateway.formRequest("PATCH", "/auth/password/reset?key=" + reset, fields), 200);
  }

  @Test
  void passwordChangeEndsOlderTokens() throws Exception {
    String username = activeUser();
    String token = gateway.login(username, PASSWORD);
    expect(gateway.formRequest("PATCH", "/auth/password/change", Map.of("password", "Wrong@12345",
        "newPassword", "Changed@12345", "repeatPassword", "Changed@12345")).header("Authorization", "Bearer " + token),
        401);
    JsonNode weak = expect(gateway.formRequest("PATCH", "/auth/password/change", Map.of("password", PASSWORD,
        "newPassword", "weak", "repeatPassword", "weak")).header("Authorization", "Bearer " + token), 422);
    assertThat(weak.path("detail").get(0).path("loc").toString()).isEqualTo("[\"form\",\"newPassword\"]");
    assertThat(expect(gateway.formRequest("PATCH", "/auth/password/change", Map.of("password", PASSWORD,
        "newPassword", "Changed@12345", "repeatPassword", "Changed@12345"))
        .header("Authorization", "Bearer " + token), 200).path("msg").asText()).isEqualTo("Password changed.");
    expect(gateway.bearer("/users/me", token).GET(), 401);
    expect(gateway.formRequest("POST", "/auth/login", Map.of("username", username, "password", PASSWORD)), 401);
    expect(gateway.bearer("/users/me", gateway.login(username, "Changed@12345")).GET(), 200);
  }

  @Test
  void forgotAndResetConsumeTheKeyAndEndOlderTokens() throws Exception {
    String username = activeUser();
    String token = gateway.login(username, PASSWORD);
    String link = link(expect(gateway.formRequest("POST", "/auth/password/forgot",
        Map.of("email", username + "@example.com")), 200));
    assertThat(link).startsWith(gateway.base + "/auth/password/reset?key=");
    expect(gateway.formRequest("PATCH", link, Map.of("newPassword", "New@123456", "repeatPassword", "New@12345")),
        422);
    expect(gateway.formRequest("PATCH", link, Map.of("newPassword", "New@123456", "repeatPassword", "New@123456")),
        200);
    expect(gateway.formRequest("PATCH", link, Map.of("newPassword", "New@654321", "repeatPassword", "New@654321")),
        410);
    expect(gateway.bearer("/users/me", token).GET(), 401);
    // The old password was confirmed a moment ago, and is remembered as matching the old hash only.
    expect(gateway.formRequest("POST", "/auth/login", Map.of("username", username, "password", PASSWORD)), 401);
    gateway.login(username, "New@123456");
    expect(gateway.formRequest("POST", "/auth/password/forgot", Map.of("email", "nobody@x.org")), 404);
  }

  @Test
  void usersByIdAreHiddenFromOtherUsers() throws Exception {
    String token = gateway.login(activeUser(), PASSWORD);
    long myId = expect(gateway.bearer("/users/me", token).GET(), 200).path("id").asLong();
    long adminId = expect(gateway.bearer("/users/me", adminToken).GET(), 200).path("id").asLong();
    expect(gateway.bearer("/users/" + myId, token).GET(), 200);
    expect(gateway.bearer("/users/" + adminId, token).GET(), 404);
    expect(gateway.bearer("/users/99999999", token).GET(), 404);
    expect(gateway.bearer("/users/" + myId, adminToken).GET(), 200);
    expect(gateway.bearer("/users/x1", token).GET(), 422);
  }

  @Test
  void forgedTokensAreRefused() throws Exception {
    String valid = adminToken;
    String[] parts = valid.split("\\.");
    String none = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";
    // The signature's first character holds six whole bits of its first byte: changing it always changes the bytes
    // (its last characters may differ only in bits base64url leaves unused, or already be the replacement).
    String badSignature = parts[0] + "." + parts[1] + "." + (parts[2].charAt(0) == 'A' ? 'B' : 'A')
        + parts[2].substring(1);
    String payloadWithoutExp = b64("{\"sub\":\"1\",\"username\":\"admin\",\"ver\":0,\"iat\":1700000000}");
    String header = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
    String noExp = header + "." + payloadWithoutExp + "." + hmac(header + "." + payloadWithoutExp);
    for (String token : List.of(none, badSignature, noExp, "garbage")) {
      HttpResponse<String> response = send(gateway.bearer("/users/me", token).GET());
      assertThat(response.statusCode()).as(token).isEqualTo(401);
    }
    HttpResponse<String> basic = send(gateway.request("/users/me").header("Authorization", "Basic YTpi").GET());
    assertThat(basic.statusCode()).isEqualTo(401);
    assertThat(basic.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
  }

  @Test
  void apiTokensAreShownOnceListedWithoutSecretAndRevocable() throws Exception {
    String token = gateway.login(activeUser(), PASSWORD);
    JsonNode created = expect(gateway.bearer("/users/tokens", token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"ci\",\"view\":\"app = shop\","
            + "\"permissions\":[\"read\",\"delete\"]}")), 201);
    assertThat(created.path("token").asText()).startsWith("alt_");
    assertThat(created.path("permissions").toString()).isEqualTo("[\"read\",\"delete\"]");
    JsonNode defaults = expect(gateway.bearer("/users/tokens", token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"reader\"}")), 201);
    assertThat(defaults.path("permissions").toString()).isEqualTo("[\"read\"]");
    assertThat(defaults.path("view").isNull()).isTrue();

    JsonNode listed = expect(gateway.bearer("/users/tokens", token).GET(), 200);
    assertThat(listed).hasSize(2);
    listed.forEach(t -> assertThat(t.has("token")).isFalse());

    expect(gateway.bearer("/users/tokens", token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"x\",\"permissions\":[\"delete\"]}")), 422);
    expect(gateway.bearer("/users/tokens", token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"x\",\"permissions\":[\"read\",\"write\"]}")), 422);
    JsonNode badView = expect(gateway.bearer("/users/tokens", token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"x\",\"view\":\"method =\"}")), 400);
    assertThat(badView.path("detail").path("type").asText()).isEqualTo("filter_syntax");
    assertThat(badView.path("detail").path("msg").asText()).isEqualTo("line 1:9: expected a value after '='");

    long id = created.path("id").asLong();
    expect(gateway.bearer("/users/tokens/" + id, adminToken).DELETE(), 404);
    expect(gateway.bearer("/users/tokens/" + id, token).DELETE(), 204);
    expect(gateway.bearer("/users/tokens/" + id, token).DELETE(), 404);
    assertThat(expect(gateway.bearer("/users/tokens", token).GET(), 200)).hasSize(1);
  }

  @Test
  void onlyAnAdminSetsViews() throws Exception {
    String token = gateway.login(activeUser(), PASSWORD);
    long id = expect(gateway.bearer("/users/me", token).GET(), 200).path("id").asLong();
    HttpRequest.BodyPublisher view = HttpRequest.BodyPublishers.ofString("{\"view\":\"app = shop\"}");
    expect(gateway.bearer("/users/" + id + "/view", token).header("Content-Type", "application/json")
        .PUT(view), 403);
    assertThat(expect(gateway.bearer("/users/" + id + "/view", adminToken).header("Content-Type", "application/json")
        .PUT(view), 200).path("view").asText()).isEqualTo("app = shop");
    assertThat(expect(gateway.bearer("/users/me", token).GET(), 200).path("view").asText()).isEqualTo("app = shop");
    expect(gateway.bearer("/users/" + id + "/view", adminToken).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"view\":\"app = (\"}")), 400);
    assertThat(expect(gateway.bearer("/users/" + id + "/view", adminToken).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"view\":\"\"}")), 200).path("view").isNull()).isTrue();
  }

  @Test
  void fiftyParallelSignupsWithOneUsernameMakeOneAccount() throws Exception {
    String username = unique("race");
    ExecutorService pool = Executors.newFixedThreadPool(50);
    try {
      List<CompletableFuture<Integer>> statuses = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        String email = username + i + "@mail.com";
        statuses.add(CompletableFuture.supplyAsync(() -> {
          try {
            return send(gateway.formRequest("POST", "/auth/signup", Map.of("username", username, "email", email,
                "password", PASSWORD, "repeatPassword", PASSWORD))).statusCode();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }, pool));
      }
      List<Integer> codes = statuses.stream().map(CompletableFuture::join).toList();
      assertThat(codes).filteredOn(c -> c == 201).hasSize(1);
      assertThat(codes).filteredOn(c -> c == 409).hasSize(49);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void nothingSecretIsStoredInClear() throws Exception {
    String username = unique("clear");
    String link = link(signup(username, username + "@mail.com", PASSWORD, PASSWORD, 201));
    expect(gateway.request(link).GET(), 200);
    String token = gateway.login(username, PASSWORD);
    String accessKey = expect(gateway.bearer("/users/access-key/me", token).GET(), 200).path("access_key").asText();
    String apiToken = expect(gateway.bearer("/users/tokens", token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"t\"}")), 201).path("token").asText();
    String dump = DatabaseDump.all(TestGateway.SERVICES.postgres().port(),
        TestGateway.SERVICES.postgres().password());
    assertThat(dump).contains(username).doesNotContain(PASSWORD).doesNotContain(key(link))
        .doesNotContain(accessKey).doesNotContain(apiToken).contains("$argon2id$");
  }

  @Test
  @Order(1)
  void repeatedFailedLoginsAreThrottledEvenWithTheRightPassword() throws Exception {
    String username = activeUser();
    for (int i = 0; i < 3; i++) {
      expect(gateway.formRequest("POST", "/auth/login", Map.of("username", username, "password", "Wrong@1234")), 401);
    }
    HttpResponse<String> refused = send(gateway.formRequest("POST", "/auth/login",
        Map.of("username", username, "password", PASSWORD)));
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 4L);
    Thread.sleep(3_200);
    gateway.login(username, PASSWORD);
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void failuresFromOneAddressAreThrottledAcrossUsernames() throws Exception {
    // Attempts of earlier tests from this address are forgotten rather than waited out (a slow machine stretches them).
    TestGateway.forgetAttempts();
    // A gateway whose window outlasts 25 password checks on a loaded machine (with this class's 3 s window, checks
    // slower than 120 ms each let the first failures expire before the last is counted).
    try (TestGateway patient = new TestGateway(Map.of("AUDIT_LOGIN_MAX_FAILURES_USER", "3",
        "AUDIT_LOGIN_MAX_FAILURES_ADDRESS", "25", "AUDIT_LOGIN_WINDOW", "10m"))) {
      List<HttpRequest.Builder> failures = new ArrayList<>();
      for (int i = 0; i < 25; i++) {
        failures.add(patient.formRequest("POST", "/auth/login", Map.of("username", unique("ghost"), "password", "x")));
      }
      assertThat(TestGateway.sendAll(failures)).extracting(HttpResponse::statusCode).containsOnly(401);
      assertThat(send(patient.formRequest("POST", "/auth/login", Map.of("username", "admin",
          "password", TestGateway.ADMIN_PASSWORD))).statusCode()).isEqualTo(429);
    } finally {
      TestGateway.forgetAttempts();
    }
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String hmac(String signingInput) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(TestGateway.JWT_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(signingInput.getBytes(
        StandardCharsets.UTF_8)));
  }
}
