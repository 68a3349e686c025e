package io.auditlog.gateway.accounts;

import io.auditlog.model.ApiException;
import io.auditlog.web.SignedTokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;

/**
 * The bearer tokens users log in for: HS256 JWTs with {@code sub} (user id), {@code username}, {@code ver} (the
 * account's token version, bumped by password changes), {@code iat} and a mandatory {@code exp}.
 */
public final class UserTokens {

  private final SignedTokens tokens;
  private final Duration lifetime;

  public UserTokens(Vertx vertx, String secret, Duration lifetime) {
    this.tokens = new SignedTokens(vertx, secret, List.of());
    this.lifetime = lifetime;
  }

  /** What a valid token says. */
  public record Claims(long userId, int tokenVersion) {
  }

  public String issue(Account account) {
    return tokens.issue(new JsonObject()
        .put("sub", Long.toString(account.id()))
        .put("username", account.username())
        .put("ver", account.tokenVersion()), lifetime);
  }

  /** Verifies signature and expiry; a token without {@code exp}, {@code ver} or a numeric {@code sub} is refused. */
  public Future<Claims> verify(String token) {
    return tokens.verify(token)
        .compose(claims -> {
          String sub = claims.getString("sub");
          Object ver = claims.getValue("ver");
          return sub != null && sub.matches("\\d{1,18}") && ver instanceof Number version
              ? Future.succeededFuture(new Claims(Long.parseLong(sub), version.intValue()))
              : Future.failedFuture("malformed claims");
        })
        .recover(e -> Future.failedFuture(invalid()));
  }

  static ApiException invalid() {
    return ApiException.unauthorized("Could not validate credentials.");
  }
}
