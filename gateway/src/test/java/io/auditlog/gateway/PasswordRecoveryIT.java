package io.auditlog.gateway;

import static io.auditlog.gateway.TestGateway.expect;
import static io.auditlog.gateway.TestGateway.link;
import static io.auditlog.gateway.TestGateway.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What each way of setting a new password ends: a change (the user chose it) ends the JWTs issued before it and keeps
 * the API tokens; a reset (account recovery: the account may have been taken over) ends the JWTs, every API token and
 * every other reset link of the account.
 */
class PasswordRecoveryIT {

  private static final String PASSWORD = "Password@12345";
  private static final String NEW_PASSWORD = "Renewed@12345";
  private static FakeQueryService queries;
  private static TestGateway gateway;

  @BeforeAll
  static void start() throws Exception {
    queries = new FakeQueryService();
    gateway = new TestGateway(Map.of("AUDIT_QUERY_URL", queries.url));
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
    queries.close();
  }

  private static String activeUser() throws Exception {
    return gateway.activeUser("rec" + UUID.randomUUID().toString().substring(0, 8), "example.com", PASSWORD);
  }

  private static String apiToken(String jwt) throws Exception {
    return expect(gateway.bearer("/users/tokens", jwt).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"script\"}")), 201).path("token").asText();
  }

  /** The status of a console command run with the API token. */
  private static int withApiToken(String token) throws Exception {
    return send(gateway.request("/api/events/count").header("X-Auth-Token", token)).statusCode();
  }

  private static String resetLink(String username) throws Exception {
    return link(expect(gateway.formRequest("POST", "/auth/password/forgot",
        Map.of("email", username + "@example.com")), 200));
  }

  private static HttpRequest.Builder reset(String link) {
    return gateway.formRequest("PATCH", link, Map.of("newPassword", NEW_PASSWORD, "repeatPassword", NEW_PASSWORD));
  }

  @Test
  void aResetEndsEveryJwtAndEveryApiToken() throws Exception {
    String username = activeUser();
    String jwt = gateway.login(username, PASSWORD);
    String token = apiToken(jwt);
    assertThat(withApiToken(token)).isEqualTo(200);

    expect(reset(resetLink(username)), 200);

    expect(gateway.bearer("/users/me", jwt).GET(), 401);
    assertThat(withApiToken(token)).isEqualTo(401);
    String fresh = gateway.login(username, NEW_PASSWORD);
    assertThat(expect(gateway.bearer("/users/tokens", fresh).GET(), 200)).isEmpty();
  }

  @Test
  void aChangeEndsOlderJwtsAndKeepsApiTokens() throws Exception {
    String username = activeUser();
    String jwt = gateway.login(username, PASSWORD);
    String token = apiToken(jwt);

    expect(gateway.formRequest("PATCH", "/auth/password/change", Map.of("password", PASSWORD,
        "newPassword", NEW_PASSWORD, "repeatPassword", NEW_PASSWORD)).header("Authorization", "Bearer " + jwt), 200);

    expect(gateway.bearer("/users/me", jwt).GET(), 401);
    assertThat(withApiToken(token)).isEqualTo(200);
    assertThat(expect(gateway.bearer("/users/tokens", gateway.login(username, NEW_PASSWORD)).GET(), 200))
        .hasSize(1);
  }

  /**
   * Whoever holds the account's JWT keeps creating API tokens while the owner resets the password: no token created
   * during the reset may outlive it (a token committed before the reset is revoked by it, one asked for after is
   * refused).
   */
  @Test
  void noApiTokenCreatedWhileAResetRunsOutlivesIt() throws Exception {
    String username = activeUser();
    String jwt = gateway.login(username, PASSWORD);
    String link = resetLink(username);
    java.util.List<String> created = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicBoolean resetDone = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.List<Thread> takers = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Thread taker = new Thread(() -> {
        // Keeps asking until a little after the reset answered, so requests straddle it on both sides.
        long stopAt = Long.MAX_VALUE;
        while (System.nanoTime() < stopAt) {
          if (resetDone.get() && stopAt == Long.MAX_VALUE) {
            stopAt = System.nanoTime() + 300_000_000L;
          }
          try {
            var answer = send(gateway.bearer("/users/tokens", jwt).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"persist\"}")));
            if (answer.statusCode() == 201) {
              created.add(io.auditlog.model.Json.MAPPER.readTree(answer.body()).path("token").asText());
            }
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }
      });
      takers.add(taker);
      taker.start();
    }
    Thread.sleep(300);
    expect(reset(link), 200);
    resetDone.set(true);
    for (Thread taker : takers) {
      taker.join(30_000);
    }
    assertThat(created).as("tokens created before the reset answered").isNotEmpty();
    for (String token : created) {
      assertThat(withApiToken(token)).as("token %s after the reset", token).isEqualTo(401);
    }
  }

  /** Whoever took the account over may have asked for a reset link too: a reset spends every other one. */
  @Test
  void aResetSpendsTheAccountsOtherResetLinks() throws Exception {
    String username = activeUser();
    String earlier = resetLink(username);
    String used = resetLink(username);
    expect(reset(used), 200);
    expect(reset(earlier), 410);
    gateway.login(username, NEW_PASSWORD);
  }
}
