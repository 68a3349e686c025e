package io.auditlog.web;

import io.auditlog.model.ApiException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Refuses a request target whose percent-encoding is malformed ({@code %zz}, a cut-off {@code %A}) with a 400,
 * before any route decodes its path parameters or query, where the same text would fail outside the handlers' reach.
 * Mounted right after {@link RequestIds}, ahead of every route with a path.
 */
public final class RequestTargets implements Handler<RoutingContext> {

  @Override
  public void handle(RoutingContext ctx) {
    try {
      URLDecoder.decode(ctx.request().path(), StandardCharsets.UTF_8);
      ctx.request().params();
    } catch (IllegalArgumentException e) {
      ctx.fail(ApiException.of(400, "bad_request", "The request target has a malformed percent-encoding."));
      return;
    }
    ctx.next();
  }
}
