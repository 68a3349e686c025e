package io.auditlog.gateway;

import static io.auditlog.gateway.TestGateway.expect;
import static io.auditlog.gateway.TestGateway.sendAll;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sign-up, resend of the activation link and forgotten password send mail: at most 3 requests per email address and
 * 6 per client address within an hour, counted in PostgreSQL.
 */
@ExtendWith(FreshAttempts.class)
class MailLimitsIT {

  private static final String PASSWORD = "Password@12345";
  private static TestGateway gateway;

  @BeforeAll
  static void start() throws Exception {
    gateway = new TestGateway(Map.of(
        "AUDIT_MAIL_MAX_PER_EMAIL", "3",
        "AUDIT_MAIL_MAX_PER_ADDRESS", "6",
        "AUDIT_MAIL_WINDOW", "1h"));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  private static String unique() {
    return "mail" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static HttpRequest.Builder forgot(String email) {
    return gateway.formRequest("POST", "/auth/password/forgot", Map.of("email", email));
  }

  private static HttpRequest.Builder resend(String email) {
    return gateway.formRequest("POST", "/auth/activate/resend", Map.of("email", email));
  }

  private static HttpRequest.Builder signup(String username, String email) {
    return gateway.formRequest("POST", "/auth/signup", Map.of("username", username, "email", email,
        "password", PASSWORD, "repeatPassword", PASSWORD));
  }

  /** Case, dots and a +tag reach the same mailbox, so they count as the same address. */
  /** A 429 whose Retry-After is within the hour. */
  private static void tooMany(HttpRequest.Builder request) throws Exception {
    TestGateway.expectTooMany(request, 3500, 3601);
  }

  @Test
  void oneMailboxIsLimitedWhateverTheSpellingOfItsAddress() throws Exception {
    String user = gateway.activeUser(unique(), "example.com", PASSWORD);
    expect(forgot(user.toUpperCase() + "@Example.COM"), 200);
    expect(resend(user + "+again@example.com"), 404);
    tooMany(forgot(user.charAt(0) + "." + user.substring(1) + "@EXAMPLE.com"));
    tooMany(signup(unique(), user + "+other@example.com"));
    expect(forgot(unique() + "@example.com"), 404);
  }

  @Test
  void parallelRequestsForOneAddressPassTheLimitNoMoreThanThreeTimes() {
    String email = unique() + "@example.org";
    List<HttpRequest.Builder> requests = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      requests.add(forgot(email));
    }
    List<Integer> codes = sendAll(requests).stream().map(HttpResponse::statusCode).toList();
    assertThat(codes).filteredOn(code -> code == 404).hasSize(3);
    assertThat(codes).filteredOn(code -> code == 429).hasSize(17);
  }

  @Test
  void oneClientIsLimitedAcrossAddressesWhateverHeadersItSends() throws Exception {
    for (int i = 0; i < 6; i++) {
      expect(forgot(unique() + "@example.net").header("X-Forwarded-For", "203.0.113." + i), 404);
    }
    tooMany(forgot(unique() + "@example.net").header("X-Forwarded-For", "198.51.100.7"));
    tooMany(resend(unique() + "@example.net"));
    tooMany(signup(unique(), unique() + "@example.net"));
  }

  @Test
  void aRequestRefusedForItsFieldsCostsNothing() throws Exception {
    for (int i = 0; i < 10; i++) {
      expect(forgot("not-an-address"), 422);
      expect(signup("x", unique() + "@example.net"), 422);
    }
    expect(forgot(unique() + "@example.net"), 404);
  }
}
