package io.auditlog.gateway.accounts;

import io.auditlog.gateway.limits.ClientAddress;
import io.auditlog.model.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;

/**
 * Authenticates an AuditConsole command in each way the AuditConsole accepted: an API token ({@code _jwall_token}
 * in the query, or the {@code X-Auth-Token} header), HTTP basic (throttled, and counted as a failed login when wrong,
 * like {@code POST /auth/login}), or a bearer JWT. Leaves the {@link Caller} in the routing context.
 */
public final class ConsoleAuth implements Handler<RoutingContext> {

  public static final String TOKEN_PARAMETER = "_jwall_token";
  private static final String KEY = "console-caller";
  private static final ApiException INVALID_TOKEN = ApiException.unauthorized("Invalid API token.");
  private static final ApiException NOT_A_READER = ApiException.of(403, "forbidden",
      "This API token has no read permission.");

  private final ApiTokens tokens;
  private final AccountRepository accounts;
  private final PasswordLogin passwords;
  private final BearerAuth bearer;

  public ConsoleAuth(ApiTokens tokens, AccountRepository accounts, PasswordLogin passwords, BearerAuth bearer) {
    this.tokens = tokens;
    this.accounts = accounts;
    this.passwords = passwords;
    this.bearer = bearer;
  }

  /** Who runs a command: the account, and the API token it came with, if any. */
  public record Caller(Account account, Optional<ApiTokens.ApiToken> token) {

    /** The user's view AND the token's view. */
    public Optional<String> view() {
      return Views.both(account.view(), token.flatMap(ApiTokens.ApiToken::view));
    }

    /** Users may delete inside their view; a token only when it was given the permission. */
    public boolean mayDelete() {
      return token.map(t -> t.allows("delete")).orElse(true);
    }
  }

  @Override
  public void handle(RoutingContext ctx) {
    caller(ctx)
        .onSuccess(caller -> {
          ctx.put(KEY, caller);
          ctx.next();
        })
        .onFailure(e -> {
          if (e instanceof ApiException error && error.status() == 401) {
            ctx.response().putHeader("WWW-Authenticate", "Basic realm=\"auditlog\", Bearer");
          }
          ctx.fail(e);
        });
  }

  public static Caller of(RoutingContext ctx) {
    Caller caller = ctx.get(KEY);
    if (caller == null) {
      throw new IllegalStateException("route is not behind ConsoleAuth");
    }
    return caller;
  }

  private Future<Caller> caller(RoutingContext ctx) {
    String token = Optional.ofNullable(ctx.request().getParam(TOKEN_PARAMETER))
        .orElse(ctx.request().getHeader("X-Auth-Token"));
    if (token != null) {
      return byToken(token);
    }
    String authorization = ctx.request().getHeader("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return byPassword(authorization.substring(6).trim(), ClientAddress.of(ctx.request()));
    }
    return bearer.authenticate(authorization).map(account -> new Caller(account, Optional.empty()));
  }

  private Future<Caller> byToken(String secret) {
    return tokens.bySecret(secret)
        .compose(found -> found.map(Future::succeededFuture).orElseGet(() -> Future.failedFuture(INVALID_TOKEN)))
        .compose(token -> token.allows("read") ? Future.succeededFuture(token) : Future.failedFuture(NOT_A_READER))
        .compose(token -> accounts.byId(token.userId())
            .compose(account -> account.filter(Account::active)
                .map(a -> Future.succeededFuture(new Caller(a, Optional.of(token))))
                .orElseGet(() -> Future.failedFuture(INVALID_TOKEN))));
  }

  private Future<Caller> byPassword(String encoded, String address) {
    return BasicCredentials.decode(encoded)
        .map(pair -> passwords.authenticate(pair.name(), pair.secret(), address)
            .map(account -> new Caller(account, Optional.empty())))
        .orElseGet(() -> Future.failedFuture(ApiException.unauthorized("Malformed basic credentials.")));
  }
}
