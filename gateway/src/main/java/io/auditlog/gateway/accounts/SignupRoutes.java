package io.auditlog.gateway.accounts;

import io.auditlog.gateway.accounts.OneTimeKeys.Purpose;
import io.auditlog.gateway.limits.ClientAddress;
import io.auditlog.gateway.storage.InfluxAdmin;
import io.auditlog.model.ApiException;
import io.auditlog.web.FormContent;
import io.auditlog.web.Responses;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgException;

/**
 * {@code POST /auth/signup}, {@code GET /auth/activate}, {@code POST /auth/activate/resend}. Sign-up and resend send
 * mail, so each passes the mail throttle once its form is valid (and before a sign-up spends an Argon2id hash).
 */
public final class SignupRoutes {

  private final AccountRepository accounts;
  private final PasswordHasher hasher;
  private final AccessKeys keys;
  private final OneTimeKeys oneTimeKeys;
  private final AccountMail mail;
  private final MailThrottle throttle;
  private final InfluxAdmin influx;
  private final String publicUrl;

  public SignupRoutes(AccountRepository accounts, PasswordHasher hasher, AccessKeys keys, OneTimeKeys oneTimeKeys,
      AccountMail mail, MailThrottle throttle, InfluxAdmin influx, String publicUrl) {
    this.accounts = accounts;
    this.hasher = hasher;
    this.keys = keys;
    this.oneTimeKeys = oneTimeKeys;
    this.mail = mail;
    this.throttle = throttle;
    this.influx = influx;
    this.publicUrl = publicUrl;
  }

  public void mount(Router router) {
    router.post("/auth/signup").handler(FormContent.REQUIRED).handler(this::signup);
    router.get("/auth/activate").handler(this::activate);
    router.post("/auth/activate/resend").handler(FormContent.REQUIRED).handler(this::resend);
  }

  private void signup(RoutingContext ctx) {
    AccountForms form = AccountForms.of(ctx);
    String username = form.username();
    String email = form.email();
    String password = form.newPassword("password", "repeatPassword");
    form.check();
    throttle.admit(email, ClientAddress.of(ctx.request()))
        .compose(admitted -> hasher.hash(password))
        .compose(hash -> accounts.insert(username, email, hash, false, false, keys.issue()))
        .recover(e -> Future.failedFuture(duplicateOr(e, username, email)))
        .compose(account -> sendActivation(account, false))
        .onSuccess(msg -> Responses.json(ctx, 201, AccountMessages.message(msg)))
        .onFailure(ctx::fail);
  }

  private void activate(RoutingContext ctx) {
    AccountForms request = AccountForms.of(ctx);
    String key = request.requiredQuery("key");
    request.check();
    oneTimeKeys.consume(key, Purpose.ACTIVATION)
        .compose(userId -> userId.map(accounts::activate)
            .orElseGet(() -> Future.failedFuture(expired())))
        .compose(account -> account.map(Future::succeededFuture).orElseGet(() -> Future.failedFuture(expired())))
        .compose(account -> influx.provisionTenant(account.tenant()).map(account))
        .onSuccess(account -> Responses.json(ctx, 200,
            AccountMessages.message("User account " + account.username() + " activated.")))
        .onFailure(ctx::fail);
  }

  private void resend(RoutingContext ctx) {
    AccountForms form = AccountForms.of(ctx);
    String email = form.email();
    form.check();
    throttle.admit(email, ClientAddress.of(ctx.request()))
        .compose(admitted -> accounts.byEmail(email))
        .compose(found -> {
          if (found.isEmpty()) {
            return unknownAddress(email);
          }
          if (found.get().active()) {
            return mail.unknownAddressAnswer() == null
                ? Future.failedFuture(ApiException.of(409, "already_active", "Account is already active."))
                : Future.succeededFuture(mail.unknownAddressAnswer());
          }
          return sendActivation(found.get(), true);
        })
        .onSuccess(msg -> Responses.json(ctx, 200, AccountMessages.message(msg)))
        .onFailure(ctx::fail);
  }

  private Future<String> sendActivation(Account account, boolean resent) {
    return oneTimeKeys.issue(account.id(), Purpose.ACTIVATION)
        .compose(key -> mail.activation(account, publicUrl + "/auth/activate?key=" + key, resent));
  }

  /** Dev mode says the address is unknown; smtp mode answers as if a link had been sent. */
  Future<String> unknownAddress(String email) {
    String answer = mail.unknownAddressAnswer();
    return answer != null ? Future.succeededFuture(answer)
        : Future.failedFuture(ApiException.notFound(email + " is not registered."));
  }

  private static Throwable duplicateOr(Throwable e, String username, String email) {
    if (e instanceof PgException pg && "23505".equals(pg.getSqlState())) {
      return pg.getMessage().contains("users_username_key")
          ? ApiException.of(409, "duplicate_username", "The username " + username + " is already registered.")
          : ApiException.of(409, "duplicate_email", "The email " + email + " is already registered.");
    }
    return e;
  }

  static ApiException expired() {
    return ApiException.of(410, "key_expired", "Token expired or invalid.");
  }
}
