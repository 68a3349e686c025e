package io.auditlog.gateway.accounts;

import io.auditlog.gateway.limits.AttemptLimits.Reservation;
import io.auditlog.model.ApiException;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * Checks passwords, for {@code POST /auth/login}, HTTP basic authentication and the current password of a change
 * alike: an attempt is reserved with the {@link LoginThrottle} before the password is hashed (so parallel guesses
 * cannot all pass the limit) and released only when it matched; the same 401 whether the user exists or not, and 403
 * for an inactive account only once the password was right. A password that matched recently is confirmed from
 * {@link VerifiedPasswords} instead of by a new Argon2id computation; the limits apply to it all the same.
 */
public final class PasswordLogin {

  private static final ApiException WRONG_CREDENTIALS =
      ApiException.unauthorized("Incorrect username or password.");
  private static final ApiException WRONG_PASSWORD = ApiException.unauthorized("Incorrect password.");

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

  /** The active account with this username and password. */
  public Future<Account> authenticate(String username, String password, String address) {
    // No stored username holds NUL (PostgreSQL's text can't): such a name is checked, and counted, as unknown.
    Future<Optional<Account>> lookup = username.indexOf('\0') >= 0 ? Future.succeededFuture(Optional.empty())
        : accounts.byUsername(username);
    return lookup
        .compose(found -> checked(found, username, password, address, WRONG_CREDENTIALS))
        .compose(account -> account.active()
            ? Future.succeededFuture(account)
            : Future.failedFuture(ApiException.of(403, "inactive_account", "Account is not activated.")));
  }

  /** Succeeds when {@code password} is the signed-in account's own (a 401 otherwise, counted like a failed login). */
  public Future<Void> confirm(Account account, String password, String address) {
    return checked(Optional.of(account), account.username(), password, address, WRONG_PASSWORD).mapEmpty();
  }

  /**
   * A password confirmed from memory is right, so it reserves nothing (parallel requests with HTTP basic credentials
   * never crowd each other out), but it is refused like any other while the limits are used up.
   */
  private Future<Account> checked(Optional<Account> found, String username, String password, String address,
      ApiException wrong) {
    if (found.isPresent() && verified.confirms(found.get(), password)) {
      return throttle.check(username, address).map(found.get());
    }
    return throttle.reserve(username, address)
        .compose(attempt -> hasher.verify(password, found.map(Account::passwordHash).orElse(null))
            .compose(matches -> matches ? matched(found.get(), password, attempt) : Future.failedFuture(wrong)));
  }

  /** Remembers a password that matched, and stops counting its attempt. */
  private Future<Account> matched(Account account, String password, Reservation attempt) {
    verified.remember(account, password);
    return attempt.release().map(account);
  }
}
