package io.auditlog.gateway.accounts;

import io.auditlog.model.ApiException;
import io.vertx.core.Future;

/**
 * Checks a username and password, for {@code POST /auth/login} and for HTTP basic authentication alike: throttled
 * per username and per address, every failure recorded, the same 401 whether the user exists or not, and 403 for an
 * inactive account only once the password was right.
 */
public final class PasswordLogin {

  private static final ApiException WRONG_CREDENTIALS =
      ApiException.unauthorized("Incorrect username or password.");

  private final AccountRepository accounts;
  private final PasswordHasher hasher;
  private final LoginThrottle throttle;

  public PasswordLogin(AccountRepository accounts, PasswordHasher hasher, LoginThrottle throttle) {
    this.accounts = accounts;
    this.hasher = hasher;
    this.throttle = throttle;
  }

  public Future<Account> authenticate(String username, String password, String address) {
    return throttle.check(username, address)
        .compose(allowed -> accounts.byUsername(username))
        .compose(found -> hasher.verify(password, found.map(Account::passwordHash).orElse(null))
            .compose(matches -> matches ? Future.succeededFuture(found.get())
                : throttle.recordFailure(username, address).compose(v -> Future.failedFuture(WRONG_CREDENTIALS))))
        .compose(account -> account.active()
            ? Future.succeededFuture(account)
            : Future.failedFuture(ApiException.of(403, "inactive_account", "Account is not activated.")));
  }
}
