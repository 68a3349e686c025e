package io.auditlog.gateway.accounts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.gateway.limits.ClientAddress;
import io.auditlog.model.ApiException;
import io.auditlog.model.FieldError;
import io.auditlog.model.Json;
import io.auditlog.web.FormContent;
import io.auditlog.web.Responses;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Login and the signed-in user's own data: {@code /auth/login}, {@code /users/me}, {@code /users/{id}}, the access
 * key and its rotation, and an admin's {@code GET /users} (every account) and {@code PUT /users/{id}/view}.
 */
public final class AccountRoutes {

  private final AccountRepository accounts;
  private final PasswordLogin passwords;
  private final UserTokens tokens;
  private final AccessKeys keys;
  private final BearerAuth bearer;
  private final AccessKeyAuthenticator authenticator;

  public AccountRoutes(AccountRepository accounts, PasswordLogin passwords, UserTokens tokens, AccessKeys keys,
      BearerAuth bearer, AccessKeyAuthenticator authenticator) {
    this.authenticator = authenticator;
    this.accounts = accounts;
    this.passwords = passwords;
    this.tokens = tokens;
    this.keys = keys;
    this.bearer = bearer;
  }

  public void mount(Router router) {
    router.post("/auth/login").handler(FormContent.REQUIRED).handler(this::login);
    router.get("/users/me").handler(bearer).handler(ctx -> Responses.json(ctx, 200, toJson(BearerAuth.account(ctx))));
    router.get("/users/access-key/me").handler(bearer).handler(this::accessKey);
    router.post("/users/access-key/rotate").handler(bearer).handler(this::rotate);
    router.get("/users").handler(bearer).handler(this::all);
    router.get("/users/:id").handler(bearer).handler(this::byId);
    router.put("/users/:id/view").handler(bearer).handler(this::setView);
  }

  /**
   * A missing field is a 422; beyond that anything but a right username/password pair is the same 401, and each
   * failure counts towards the throttle.
   */
  private void login(RoutingContext ctx) {
    AccountForms form = AccountForms.of(ctx);
    String username = form.required("username");
    String password = form.required("password");
    form.check();
    passwords.authenticate(username, password, ClientAddress.of(ctx.request()))
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

  private void rotate(RoutingContext ctx) {
    AccessKeys.Issued issued = keys.issue();
    Account account = BearerAuth.account(ctx);
    authenticator.forget(account);
    accounts.replaceAccessKey(account.id(), issued)
        .onSuccess(v -> {
          ObjectNode body = Json.MAPPER.createObjectNode();
          body.put("access_key", issued.key());
          Responses.json(ctx, 200, body);
        })
        .onFailure(ctx::fail);
  }

  private void setView(RoutingContext ctx) {
    if (!BearerAuth.account(ctx).admin()) {
      throw ApiException.of(403, "forbidden", "Only an admin can set views.");
    }
    long id = pathId(ctx);
    JsonNode body = Json.parseBody(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
    JsonNode view = body.path("view");
    if (!body.isObject() || !view.isTextual() || body.size() != 1) {
      throw ApiException.validation(new FieldError(List.of("body", "view"),
          "must be an object with one string field 'view'", "type_error.str"));
    }
    accounts.setView(id, Views.checked(view.textValue()).orElse(null))
        .onSuccess(found -> found.ifPresentOrElse(
            account -> Responses.json(ctx, 200, toJson(account)),
            () -> ctx.fail(ApiException.notFound("User not found."))))
        .onFailure(ctx::fail);
  }

  private void all(RoutingContext ctx) {
    if (!BearerAuth.account(ctx).admin()) {
      throw ApiException.of(403, "forbidden", "Only an admin can list the users.");
    }
    accounts.all()
        .onSuccess(all -> {
          ArrayNode body = Json.MAPPER.createArrayNode();
          all.forEach(account -> body.add(toJson(account)));
          Responses.json(ctx, 200, body);
        })
        .onFailure(ctx::fail);
  }

  private static long pathId(RoutingContext ctx) {
    String raw = ctx.pathParam("id");
    if (!raw.matches("\\d{1,18}")) {
      throw ApiException.validation(new FieldError(List.of("path", "id"), "must be an integer",
          "type_error.integer"));
    }
    return Long.parseLong(raw);
  }

  private void byId(RoutingContext ctx) {
    Account caller = BearerAuth.account(ctx);
    long id = pathId(ctx);
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
