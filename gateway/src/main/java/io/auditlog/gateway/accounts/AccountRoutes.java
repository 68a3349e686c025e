package io.auditlog.gateway.accounts;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.ApiException;
import io.auditlog.model.FieldError;
import io.auditlog.model.Json;
import io.auditlog.web.Responses;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;

/** Login and the signed-in user's own data: {@code /auth/login}, {@code /users/me}, {@code /users/{id}}, keys. */
public final class AccountRoutes {

  private static final ApiException WRONG_CREDENTIALS =
      ApiException.unauthorized("Incorrect username or password.");

  private final AccountRepository accounts;
  private final PasswordHasher hasher;
  private final UserTokens tokens;
  private final AccessKeys keys;
  private final BearerAuth bearer;

  public AccountRoutes(AccountRepository accounts, PasswordHasher hasher, UserTokens tokens, AccessKeys keys) {
    this.accounts = accounts;
    this.hasher = hasher;
    this.tokens = tokens;
    this.keys = keys;
    this.bearer = new BearerAuth(tokens, accounts);
  }

  public BearerAuth bearer() {
    return bearer;
  }

  public void mount(Router router) {
    router.post("/auth/login").handler(this::login);
    router.get("/users/me").handler(bearer).handler(ctx -> Responses.json(ctx, 200, toJson(BearerAuth.account(ctx))));
    router.get("/users/access-key/me").handler(bearer).handler(this::accessKey);
    router.get("/users/:id").handler(bearer).handler(this::byId);
  }

  private void login(RoutingContext ctx) {
    String username = Optional.ofNullable(ctx.request().getFormAttribute("username")).orElse("");
    String password = Optional.ofNullable(ctx.request().getFormAttribute("password")).orElse("");
    accounts.byUsername(username)
        .compose(found -> hasher.verify(password, found.map(Account::passwordHash).orElse(null))
            .compose(matches -> matches ? Future.succeededFuture(found.get()) : Future.failedFuture(WRONG_CREDENTIALS)))
        .compose(account -> account.active()
            ? Future.succeededFuture(account)
            : Future.failedFuture(ApiException.of(403, "inactive_account", "Account is not activated.")))
        .onSuccess(account -> {
          ObjectNode body = Json.MAPPER.createObjectNode();
          body.put("access_token", tokens.issue(account));
          body.put("token_type", "Bearer");
          Responses.json(ctx, 200, body);
        })
        .onFailure(ctx::fail);
  }

  private void accessKey(RoutingContext ctx) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("access_key", keys.unseal(BearerAuth.account(ctx).accessKeySealed()));
    Responses.json(ctx, 200, body);
  }

  private void byId(RoutingContext ctx) {
    Account caller = BearerAuth.account(ctx);
    String raw = ctx.pathParam("id");
    if (!raw.matches("\\d{1,18}")) {
      ctx.fail(ApiException.validation(new FieldError(List.of("path", "id"), "must be an integer",
          "type_error.integer")));
      return;
    }
    long id = Long.parseLong(raw);
    if (id != caller.id() && !caller.admin()) {
      ctx.fail(ApiException.notFound("User not found."));
      return;
    }
    accounts.byId(id)
        .onSuccess(found -> found.ifPresentOrElse(
            account -> Responses.json(ctx, 200, toJson(account)),
            () -> ctx.fail(ApiException.notFound("User not found."))))
        .onFailure(ctx::fail);
  }

  static ObjectNode toJson(Account account) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("id", account.id());
    body.put("username", account.username());
    body.put("email", account.email());
    body.put("is_active", account.active());
    body.put("is_admin", account.admin());
    body.put("view", account.view().orElse(null));
    body.put("created_at", account.createdAt().toInstant().toString());
    body.put("updated_at", account.updatedAt().toInstant().toString());
    return body;
  }
}
