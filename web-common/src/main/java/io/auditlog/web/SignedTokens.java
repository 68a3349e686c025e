package io.auditlog.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.time.Duration;
import java.util.List;

/**
 * HS256 JWTs through Vert.x's JWT provider: signing with {@code iat} and {@code exp}, and verification that refuses
 * a bad signature, {@code alg: none}, an expired token, a token without {@code exp} and, when an audience is set, a
 * token for someone else.
 */
public final class SignedTokens {

  private final JWTAuth jwt;
  private final List<String> audience;

  public SignedTokens(Vertx vertx, String secret, List<String> audience) {
    this.audience = List.copyOf(audience);
    this.jwt = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret))
        .setJWTOptions(options()));
  }

  private JWTOptions options() {
    JWTOptions options = new JWTOptions().setAlgorithm("HS256");
    return audience.isEmpty() ? options : options.setAudience(audience);
  }

  public String issue(JsonObject claims, Duration lifetime) {
    return jwt.generateToken(claims, options().setExpiresInSeconds((int) lifetime.toSeconds()));
  }

  /** The token's claims, or a failed future when it is not a valid, unexpired token of ours that has an exp. */
  public Future<JsonObject> verify(String token) {
    return jwt.authenticate(new TokenCredentials(token)).compose(user -> {
      JsonObject claims = user.attributes().getJsonObject("accessToken");
      return claims != null && claims.getValue("exp") instanceof Number
          ? Future.succeededFuture(claims)
          : Future.failedFuture("token without exp");
    });
  }
}
