package io.auditlog.gateway.accounts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.gateway.accounts.ApiTokens.ApiToken;
import io.auditlog.model.ApiException;
import io.auditlog.model.FieldError;
import io.auditlog.model.Json;
import io.auditlog.web.Responses;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** {@code POST /users/tokens}, {@code GET /users/tokens}, {@code DELETE /users/tokens/{id}}. */
public final class TokenRoutes {

  /** Reading (and deleting), or sending audit-log entries as a sensor: never both in one token. */
  private static final Set<Set<String>> ALLOWED = Set.of(Set.of("read"), Set.of("read", "delete"), Set.of("ingest"));
  private static final Set<String> KEYS = Set.of("name", "view", "permissions");

  private final ApiTokens tokens;
  private final BearerAuth bearer;

  public TokenRoutes(ApiTokens tokens, BearerAuth bearer) {
    this.tokens = tokens;
    this.bearer = bearer;
  }

  public void mount(Router router) {
    router.post("/users/tokens").handler(bearer).handler(this::create);
    router.get("/users/tokens").handler(bearer).handler(this::list);
    router.delete("/users/tokens/:id").handler(bearer).handler(this::revoke);
  }

  private void create(RoutingContext ctx) {
    JsonNode body = Json.parseBody(ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes());
    List<FieldError> errors = new ArrayList<>();
    if (!body.isObject()) {
      throw ApiException.validation(new FieldError(List.of("body"), "must be an object", "type_error.dict"));
    }
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!KEYS.contains(name)) {
        errors.add(new FieldError(List.of("body", name), "extra fields not permitted", "value_error.extra"));
      }
    }
    JsonNode name = body.path("name");
    if (!name.isTextual() || name.textValue().isBlank() || name.textValue().length() > 64) {
      errors.add(new FieldError(List.of("body", "name"), "must be a string of 1 to 64 characters",
          "value_error.str.length"));
    } else if (hasNul(name.textValue())) {
      errors.add(new FieldError(List.of("body", "name"), "must not contain NUL", "value_error.str.nul"));
    }
    JsonNode view = body.path("view");
    if (!view.isMissingNode() && !view.isNull() && !view.isTextual()) {
      errors.add(new FieldError(List.of("body", "view"), "must be a string", "type_error.str"));
    } else if (view.isTextual() && hasNul(view.textValue())) {
      errors.add(new FieldError(List.of("body", "view"), "must not contain NUL", "value_error.str.nul"));
    }
    List<String> permissions = permissions(body.path("permissions"), errors);
    if (!errors.isEmpty()) {
      throw ApiException.validation(errors);
    }
    Optional<String> checkedView = Views.checked(view.isTextual() ? view.textValue() : null);
    Account account = BearerAuth.account(ctx);
    tokens.create(account.id(), account.tokenVersion(), name.textValue(), checkedView, permissions)
        .onSuccess(created -> {
          ObjectNode json = toJson(created.token());
          json.put("token", created.secret());
          Responses.json(ctx, 201, json);
        })
        .onFailure(ctx::fail);
  }

  /** PostgreSQL's text holds no NUL: refused here rather than failing in the INSERT. */
  private static boolean hasNul(String text) {
    return text.indexOf('\0') >= 0;
  }

  private static List<String> permissions(JsonNode node, List<FieldError> errors) {
    if (node.isMissingNode() || node.isNull()) {
      return List.of("read");
    }
    Set<String> set = new TreeSet<>();
    if (node.isArray()) {
      node.forEach(p -> set.add(p.isTextual() ? p.textValue() : p.toString()));
    }
    if (!node.isArray() || set.size() != node.size() || !ALLOWED.contains(set)) {
      errors.add(new FieldError(List.of("body", "permissions"),
          "must be [\"read\"], [\"read\", \"delete\"] or [\"ingest\"]", "value_error.permissions"));
      return List.of();
    }
    if (set.contains("ingest")) {
      return List.of("ingest");
    }
    return set.contains("delete") ? List.of("read", "delete") : List.of("read");
  }

  private void list(RoutingContext ctx) {
    tokens.list(BearerAuth.account(ctx).id())
        .onSuccess(list -> Responses.json(ctx, 200, list.stream().map(TokenRoutes::toJson).toList()))
        .onFailure(ctx::fail);
  }

  private void revoke(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!id.matches("\\d{1,18}")) {
      throw ApiException.validation(new FieldError(List.of("path", "id"), "must be an integer",
          "type_error.integer"));
    }
    tokens.revoke(BearerAuth.account(ctx).id(), Long.parseLong(id))
        .onSuccess(revoked -> {
          if (revoked) {
            ctx.response().setStatusCode(204).end();
          } else {
            ctx.fail(ApiException.notFound("Token not found."));
          }
        })
        .onFailure(ctx::fail);
  }

  static ObjectNode toJson(ApiToken token) {
    ObjectNode json = Json.MAPPER.createObjectNode();
    json.put("id", token.id());
    json.put("name", token.name());
    json.put("view", token.view().orElse(null));
    var permissions = json.putArray("permissions");
    token.permissions().forEach(permissions::add);
    json.put("created_at", token.createdAt().toInstant().toString());
    return json;
  }
}
