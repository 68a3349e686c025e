package io.auditlog.gateway.accounts;

import io.auditlog.model.ApiException;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * Checks a username and password, for {@code POST /auth/login} and for HTTP basic authentication alike: throttled
 * per username and per address, every failure recorded, the same 401 whether the user exists or not, and 403 for an
 * inactive account only once the password was right. A password that matched recently is confirmed from
 * {@link VerifiedPasswords} instead of by a new Argon2id computation; the throttle applies all the same.
 */
public final class PasswordLogin {

  private static final ApiException WRONG_CREDENTIALS =
      ApiException.unauthorized("Incorrect username or password.");

  private final AccountRepository accounts;
  private final PasswordHasher hasher;
  private final LoginThrottle throttle;
  private final VerifiedPasswords verified;

  public PasswordLogin(AccountRepository accounts, PasswordHasher hasher, LoginThrottle throttle,
      VerifiedPasswords verified) {
    this.accounts = accounts;
    this.hasher = hasher;
    this.throttle = throttle;
    this.verified = verified;
  }

  public Future<Account> authenticate(String username, String password, String address) {
    return throttle.check(username, address)
        .compose(allowed -> accounts.byUsername(username))
        .compose(found -> matches(found, password)
            .compose(matches -> matches ? Future.succeededFuture(found.get())
                : throttle.recordFailure(username, address).compose(v -> Future.failedFuture(WRONG_CREDENTIALS))))
        .compose(account -> account.active()
            ? Future.succeededFuture(account)
            : Future.failedFuture(ApiException.of(403, "inactive_account", "Account is not activated.")));
  }

  private Future<Boolean> matches(Optional<Account> found, String password) {
    if (found.isPresent() && verified.confirms(found.get(), password)) {
      return Future.succeededFuture(true);
    }
    return hasher.verify(password, found.map(Account::passwordHash).orElse(null))
        .onSuccess(matches -> {
          if (matches) {
            verified.remember(found.get(), password);
          }
        });
  }
}
