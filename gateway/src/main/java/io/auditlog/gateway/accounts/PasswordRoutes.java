package io.auditlog.gateway.accounts;

import io.auditlog.gateway.accounts.OneTimeKeys.Purpose;
import io.auditlog.gateway.limits.ClientAddress;
import io.auditlog.model.ApiException;
import io.auditlog.web.FormContent;
import io.auditlog.web.Responses;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code PATCH /auth/password/change}, {@code POST /auth/password/forgot}, {@code PATCH /auth/password/reset}. A
 * change ends every JWT issued before it; a reset (account recovery) ends them and the account's API tokens too. The
 * current password of a change is checked through the login throttle; a forgotten password's mail through the mail
 * throttle.
 */
public final class PasswordRoutes {

  private final AccountRepository accounts;
  private final PasswordHasher hasher;
  private final PasswordLogin passwords;
  private final OneTimeKeys oneTimeKeys;
  private final AccountMail mail;
  private final MailThrottle mailThrottle;
  private final BearerAuth bearer;
  private final SignupRoutes signup;
  private final String publicUrl;

  public PasswordRoutes(AccountRepository accounts, PasswordHasher hasher, PasswordLogin passwords,
      OneTimeKeys oneTimeKeys, AccountMail mail, MailThrottle mailThrottle, BearerAuth bearer, SignupRoutes signup,
      String publicUrl) {
    this.accounts = accounts;
    this.hasher = hasher;
    this.passwords = passwords;
    this.oneTimeKeys = oneTimeKeys;
    this.mail = mail;
    this.mailThrottle = mailThrottle;
    this.bearer = bearer;
    this.signup = signup;
    this.publicUrl = publicUrl;
  }

  public void mount(Router router) {
    router.patch("/auth/password/change").handler(bearer).handler(FormContent.REQUIRED).handler(this::change);
    router.post("/auth/password/forgot").handler(FormContent.REQUIRED).handler(this::forgot);
    router.patch("/auth/password/reset").handler(FormContent.REQUIRED).handler(this::reset);
  }

  /** Every field is checked before the current password, so a malformed request costs no attempt. */
  private void change(RoutingContext ctx) {
    Account account = BearerAuth.account(ctx);
    AccountForms form = AccountForms.of(ctx);
    String current = form.required("password");
    String password = form.newPassword("newPassword", "repeatPassword");
    form.check();
    passwords.confirm(account, current, ClientAddress.of(ctx.request()))
        .compose(confirmed -> hasher.hash(password))
        .compose(hash -> accounts.changePassword(account.id(), hash))
        .onSuccess(updated -> Responses.json(ctx, 200, AccountMessages.message("Password changed.")))
        .onFailure(ctx::fail);
  }

  private void forgot(RoutingContext ctx) {
    AccountForms form = AccountForms.of(ctx);
    String email = form.email();
    form.check();
    mailThrottle.admit(email, ClientAddress.of(ctx.request()))
        .compose(admitted -> accounts.byEmail(email))
        .compose(found -> found.isEmpty() ? signup.unknownAddress(email)
            : oneTimeKeys.issue(found.get().id(), Purpose.RESET)
                .compose(key -> mail.reset(found.get(), publicUrl + "/auth/password/reset?key=" + key)))
        .onSuccess(msg -> Responses.json(ctx, 200, AccountMessages.message(msg)))
        .onFailure(ctx::fail);
  }

  /**
   * The fields are checked before the key is consumed, so a typo does not burn the key; the key is looked up before
   * the new password is hashed, so a made-up key costs no Argon2id.
   */
  private void reset(RoutingContext ctx) {
    AccountForms form = AccountForms.of(ctx);
    String key = form.requiredQuery("key");
    String password = form.newPassword("newPassword", "repeatPassword");
    form.check();
    oneTimeKeys.live(key, Purpose.RESET)
        .compose(live -> live ? hasher.hash(password) : Future.failedFuture(SignupRoutes.expired()))
        .compose(hash -> oneTimeKeys.consume(key, Purpose.RESET)
            .compose(userId -> userId.map(id -> accounts.resetPassword(id, hash))
                .orElseGet(() -> Future.failedFuture(SignupRoutes.expired()))))
        .onSuccess(updated -> Responses.json(ctx, 200, AccountMessages.message("Password reset.")))
        .onFailure(ctx::fail);
  }
}
