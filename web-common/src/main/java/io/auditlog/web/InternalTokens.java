package io.auditlog.web;

import io.auditlog.model.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The identity the gateway vouches for when it forwards a request: a short-lived JWT for the audience
 * {@code query-service}, signed with a secret only the services share. The query-service answers only for the
 * tenant such a token names, so it never trusts a bare header.
 */
public final class InternalTokens {

  public static final String HEADER = "Authorization";
  private static final Duration LIFETIME = Duration.ofSeconds(60);

  private final SignedTokens tokens;

  public InternalTokens(Vertx vertx, String secret) {
    this.tokens = new SignedTokens(vertx, secret, List.of("query-service"));
  }

  /**
   * Who a forwarded request acts for: the tenant whose events it may read, the view ANDed into everything it reads or
   * deletes, whether it may delete, and the user (and API token) behind it, named in the erasure records of what it
   * deletes.
   */
  public record Identity(String tenant, Optional<String> view, boolean mayDelete, Optional<Actor> actor) {

    public Identity(String tenant, Optional<String> view, boolean mayDelete) {
      this(tenant, view, mayDelete, Optional.empty());
    }

    /** A caller that may read the tenant's events inside the view, and not delete them. */
    public static Identity reader(String tenant, Optional<String> view) {
      return new Identity(tenant, view, false);
    }
  }

  /** A user, and the API token it used if any. */
  public record Actor(long userId, String username, Optional<Long> tokenId) {
  }

  public String issue(Identity identity) {
    JsonObject claims = new JsonObject().put("tenant", identity.tenant()).put("delete", identity.mayDelete());
    identity.view().ifPresent(v -> claims.put("view", v));
    identity.actor().ifPresent(actor -> {
      JsonObject named = new JsonObject().put("user_id", actor.userId()).put("username", actor.username());
      actor.tokenId().ifPresent(id -> named.put("token_id", id));
      claims.put("actor", named);
    });
    return tokens.issue(claims, LIFETIME);
  }

  public Future<Identity> verify(String authorization) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return Future.failedFuture(ApiException.unauthorized("Not authenticated."));
    }
    return tokens.verify(authorization.substring(7))
        .compose(claims -> claims.getString("tenant") == null
            ? Future.failedFuture("no tenant")
            : Future.succeededFuture(new Identity(claims.getString("tenant"),
                Optional.ofNullable(claims.getString("view")), claims.getBoolean("delete", false),
                actor(claims.getJsonObject("actor")))))
        .recover(e -> Future.failedFuture(ApiException.unauthorized("Not authenticated.")));
  }

  private static Optional<Actor> actor(JsonObject named) {
    if (named == null || named.getLong("user_id") == null || named.getString("username") == null) {
      return Optional.empty();
    }
    return Optional.of(new Actor(named.getLong("user_id"), named.getString("username"),
        Optional.ofNullable(named.getLong("token_id"))));
  }
}
