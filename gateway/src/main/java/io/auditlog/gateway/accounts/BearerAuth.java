package io.auditlog.gateway.accounts;

import io.auditlog.model.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Requires {@code Authorization: Bearer <JWT>} of an active account whose token version the token still carries;
 * puts the {@link Account} in the routing context for the routes behind it.
 */
public final class BearerAuth implements Handler<RoutingContext> {

  private static final String KEY = "account";

  private final UserTokens tokens;
  private final AccountRepository accounts;

  public BearerAuth(UserTokens tokens, AccountRepository accounts) {
    this.tokens = tokens;
    this.accounts = accounts;
  }

  @Override
  public void handle(RoutingContext ctx) {
    authenticate(ctx.request().getHeader("Authorization"))
        .onSuccess(account -> {
          ctx.put(KEY, account);
          ctx.next();
        })
        .onFailure(ctx::fail);
  }

  /** The account an {@code Authorization: Bearer <JWT>} header stands for, or a 401. */
  public Future<Account> authenticate(String header) {
    if (!isBearer(header) || header.length() <= 7) {
      return Future.failedFuture(ApiException.unauthorized("Not authenticated."));
    }
    return tokens.verify(header.substring(7).trim()).compose(this::currentAccount);
  }

  private static boolean isBearer(String header) {
    return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7);
  }

  private Future<Account> currentAccount(UserTokens.Claims claims) {
    return accounts.byId(claims.userId()).compose(found -> found
        .filter(account -> account.active() && account.tokenVersion() == claims.tokenVersion())
        .map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(UserTokens.invalid())));
  }

  public static Account account(RoutingContext ctx) {
    Account account = ctx.get(KEY);
    if (account == null) {
      throw new IllegalStateException("route is not behind BearerAuth");
    }
    return account;
  }
}
