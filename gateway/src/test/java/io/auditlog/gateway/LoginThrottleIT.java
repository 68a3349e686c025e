package io.auditlog.gateway;

import static io.auditlog.gateway.TestGateway.expect;
import static io.auditlog.gateway.TestGateway.send;
import static io.auditlog.gateway.TestGateway.sendAll;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every password check — login, HTTP basic on the console commands, the current password of a change — reserves its
 * attempt in PostgreSQL before the hash is computed. Two gateways share the database as two instances of a cluster
 * do: 10 failures per username and 12 per address within 30 seconds.
 */
@ExtendWith(FreshAttempts.class)
class LoginThrottleIT {

  private static final String PASSWORD = "Password@12345";
  private static final String WRONG = "Wrong@123456";
  private static FakeQueryService queries;
  private static TestGateway first;
  private static TestGateway second;

  @BeforeAll
  static void start() throws Exception {
    queries = new FakeQueryService();
    Map<String, String> limits = Map.of(
        "AUDIT_LOGIN_MAX_FAILURES_USER", "10",
        "AUDIT_LOGIN_MAX_FAILURES_ADDRESS", "12",
        "AUDIT_LOGIN_WINDOW", "30s",
        "AUDIT_QUERY_URL", queries.url);
    first = new TestGateway(limits);
    second = new TestGateway(limits);
  }

  @AfterAll
  static void stop() throws Exception {
    first.close();
    second.close();
    queries.close();
  }

  private static String activeUser() throws Exception {
    return first.activeUser("thr" + UUID.randomUUID().toString().substring(0, 8), "example.com", PASSWORD);
  }

  private static HttpRequest.Builder login(TestGateway gateway, String username, String password) {
    return gateway.formRequest("POST", "/auth/login", Map.of("username", username, "password", password));
  }

  private static HttpRequest.Builder basic(String username, String password) {
    return first.request("/api/events/count").header("Authorization", "Basic " + Base64.getEncoder()
        .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
  }

  private static List<Integer> statuses(int count, IntFunction<HttpRequest.Builder> request) {
    List<HttpRequest.Builder> requests = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      requests.add(request.apply(i));
    }
    return sendAll(requests).stream().map(HttpResponse::statusCode).toList();
  }

  /** A 429 whose Retry-After is within the 30-second window. */
  private static void tooMany(HttpRequest.Builder request) throws Exception {
    TestGateway.expectTooMany(request, 1, 31);
  }

  @Test
  void thirtyParallelWrongLoginsOnTwoGatewaysPassTheLimitNoMoreThanTenTimes() throws Exception {
    String username = activeUser();
    List<Integer> codes = statuses(30, i -> login(i % 2 == 0 ? first : second, username, WRONG));
    assertThat(codes).filteredOn(code -> code == 401).hasSize(10);
    assertThat(codes).filteredOn(code -> code == 429).hasSize(20);
    tooMany(login(first, username, PASSWORD));
    tooMany(login(second, username, PASSWORD));
  }

  @Test
  void aPasswordThatMatchesReleasesItsAttempt() throws Exception {
    String username = activeUser();
    assertThat(statuses(9, i -> login(first, username, WRONG))).containsOnly(401);
    for (int i = 0; i < 3; i++) {
      first.login(username, PASSWORD);
    }
    expect(login(second, username, WRONG), 401);
    tooMany(login(first, username, PASSWORD));
  }

  @Test
  void basicAuthenticationOnConsoleCommandsSharesTheThrottleWithLogins() throws Exception {
    String username = activeUser();
    assertThat(send(basic(username, PASSWORD)).body()).isEqualTo("0");
    List<Integer> codes = statuses(30, i -> basic(username, WRONG));
    assertThat(codes).filteredOn(code -> code == 401).hasSize(10);
    assertThat(codes).filteredOn(code -> code == 429).hasSize(20);
    tooMany(basic(username, PASSWORD));
    tooMany(login(second, username, PASSWORD));
  }

  /** A password confirmed a moment ago reserves nothing: a script's parallel requests do not lock it out. */
  @Test
  void parallelRequestsWithRightBasicCredentialsAreAllAnswered() throws Exception {
    String username = activeUser();
    assertThat(send(basic(username, PASSWORD)).statusCode()).isEqualTo(200);
    assertThat(statuses(30, i -> basic(username, PASSWORD))).containsOnly(200);
  }

  @Test
  void aPasswordChangeChecksTheCurrentPasswordThroughTheThrottle() throws Exception {
    String username = activeUser();
    String token = first.login(username, PASSWORD);
    List<Integer> codes = statuses(15, i -> first.formRequest("PATCH", "/auth/password/change", Map.of(
        "password", WRONG + i, "newPassword", "Changed@12345", "repeatPassword", "Changed@12345"))
        .header("Authorization", "Bearer " + token));
    assertThat(codes).filteredOn(code -> code == 401).hasSize(10);
    assertThat(codes).filteredOn(code -> code == 429).hasSize(5);
    tooMany(first.formRequest("PATCH", "/auth/password/change", Map.of("password", PASSWORD,
        "newPassword", "Changed@12345", "repeatPassword", "Changed@12345")).header("Authorization", "Bearer " + token));
    tooMany(login(first, username, PASSWORD));
  }

  /** The address is the connection's peer: headers a client writes itself do not make it another client. */
  @Test
  void forwardingHeadersDoNotChangeTheClientAddress() throws Exception {
    String username = activeUser();
    List<Integer> codes = statuses(12, i -> login(first, "ghost" + UUID.randomUUID(), WRONG)
        .header("X-Forwarded-For", "203.0.113." + i)
        .header("Forwarded", "for=\"[2001:db8::" + i + "]\"")
        .header("X-Real-IP", "198.51.100." + i));
    assertThat(codes).containsOnly(401);
    tooMany(login(second, "ghost" + UUID.randomUUID(), WRONG).header("X-Forwarded-For", "192.0.2.200"));
    tooMany(login(first, username, PASSWORD).header("X-Forwarded-For", "192.0.2.201"));
  }

  /** Usernames are counted as hashes: a password typed into the username field is not kept in clear. */
  @Test
  void aPasswordTypedAsTheUsernameIsNotStored() throws Exception {
    String typed = "Typed#Into-The-Wrong-Field-" + UUID.randomUUID();
    expect(login(first, typed, WRONG), 401);
    assertThat(DatabaseDump.all(TestGateway.SERVICES.postgres().port(), TestGateway.SERVICES.postgres().password()))
        .contains("login-user:").doesNotContain(typed);
  }
}
