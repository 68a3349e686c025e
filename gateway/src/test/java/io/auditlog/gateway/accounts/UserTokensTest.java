package io.auditlog.gateway.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditlog.model.ApiException;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class UserTokensTest {

  private static final Vertx VERTX = Vertx.vertx();
  private static final String SECRET = "0123456789abcdef0123456789abcdef-test";
  private final UserTokens tokens = new UserTokens(VERTX, SECRET, Duration.ofMinutes(5));
  private final Account account = new Account(42, "someone", "a@b.c", "hash", true, false, Optional.empty(), 3,
      "sealed", OffsetDateTime.now(), OffsetDateTime.now());

  @AfterAll
  static void close() {
    VERTX.close();
  }

  private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @Test
  void anIssuedTokenVerifiesWithItsUserAndVersion() throws Exception {
    UserTokens.Claims claims = await(tokens.verify(tokens.issue(account)));
    assertThat(claims).isEqualTo(new UserTokens.Claims(42, 3));
  }

  @Test
  void aTokenSignedWithAnotherSecretIsRefused() {
    String foreign = new UserTokens(VERTX, SECRET + "-other", Duration.ofMinutes(5)).issue(account);
    assertThat(tokens.verify(foreign).toCompletionStage().toCompletableFuture())
        .failsWithin(5, TimeUnit.SECONDS).withThrowableThat().havingCause().isInstanceOf(ApiException.class);
  }

  @Test
  void anUnsignedTokenIsRefused() {
    String payload = tokens.issue(account).split("\\.")[1];
    String header = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}"
        .getBytes());
    assertThat(tokens.verify(header + "." + payload + ".").toCompletionStage().toCompletableFuture())
        .failsWithin(5, TimeUnit.SECONDS);
  }
}
