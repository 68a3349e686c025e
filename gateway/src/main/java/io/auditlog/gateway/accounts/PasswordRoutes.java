package io.auditlog.gateway.accounts;

import io.auditlog.gateway.accounts.OneTimeKeys.Purpose;
import io.auditlog.model.ApiException;
import io.auditlog.web.Responses;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code PATCH /auth/password/change}, {@code POST /auth/password/forgot}, {@code PATCH /auth/password/reset}. A
 * changed or reset password bumps the account's token version, which ends every token issued before.
 */
public final class PasswordRoutes {

  private final AccountRepository accounts;
  private final PasswordHasher hasher;
  private final OneTimeKeys oneTimeKeys;
  private final AccountMail mail;
  private final BearerAuth bearer;
  private final SignupRoutes signup;
  private final String publicUrl;

  public PasswordRoutes(AccountRepository accounts, PasswordHasher hasher, OneTimeKeys oneTimeKeys, AccountMail mail,
      BearerAuth bearer, SignupRoutes signup, String publicUrl) {
    this.accounts = accounts;
    this.hasher = hasher;
    this.oneTimeKeys = oneTimeKeys;
    this.mail = mail;
    this.bearer = bearer;
    this.signup = signup;
    this.publicUrl = publicUrl;
  }

  public void mount(Router router) {
    router.patch("/auth/password/change").handler(bearer).handler(this::change);
    router.post("/auth/password/forgot").handler(this::forgot);
    router.patch("/auth/password/reset").handler(this::reset);
  }

  private void change(RoutingContext ctx) {
    Account account = BearerAuth.account(ctx);
    String current = ctx.request().getFormAttribute("password");
    hasher.verify(current == null ? "" : current, account.passwordHash())
        .compose(matches -> matches ? Future.succeededFuture()
            : Future.failedFuture(ApiException.unauthorized("Incorrect password.")))
        .compose(ok -> {
          AccountForms form = new AccountForms(ctx.request().formAttributes());
          String password = form.newPassword("newPassword", "repeatPassword");
          form.check();
          return hasher.hash(password);
        })
        .compose(hash -> accounts.changePassword(account.id(), hash))
        .onSuccess(updated -> Responses.json(ctx, 200, AccountMessages.message("Password changed.")))
        .onFailure(ctx::fail);
  }

  private void forgot(RoutingContext ctx) {
    AccountForms form = new AccountForms(ctx.request().formAttributes());
    String email = form.email();
    form.check();
    accounts.byEmail(email)
        .compose(found -> found.isEmpty() ? signup.unknownAddress(email)
            : oneTimeKeys.issue(found.get().id(), Purpose.RESET)
                .compose(key -> mail.reset(found.get(), publicUrl + "/auth/password/reset?key=" + key)))
        .onSuccess(msg -> Responses.json(ctx, 200, AccountMessages.message(msg)))
        .onFailure(ctx::fail);
  }

  /** The fields are checked before the key is consumed, so a typo does not burn the key. */
  private void reset(RoutingContext ctx) {
    AccountForms form = new AccountForms(ctx.request().formAttributes());
    String password = form.newPassword("newPassword", "repeatPassword");
    form.check();
    hasher.hash(password)
        .compose(hash -> oneTimeKeys.consume(ctx.queryParams().get("key"), Purpose.RESET)
            .compose(userId -> userId.map(id -> accounts.changePassword(id, hash))
                .orElseGet(() -> Future.failedFuture(SignupRoutes.expired()))))
        .onSuccess(updated -> Responses.json(ctx, 200, AccountMessages.message("Password reset.")))
        .onFailure(ctx::fail);
  }
}
