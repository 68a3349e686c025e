package io.auditlog.web;

import io.auditlog.model.Json;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/** Writing JSON answers with the service's one JSON mapper. */
public final class Responses {

  public static final String JSON = "application/json; charset=utf-8";

  private Responses() {
  }

  public static Future<Void> json(RoutingContext ctx, int status, Object body) {
    return ctx.response().setStatusCode(status).putHeader("Content-Type", JSON)
        .end(Buffer.buffer(Json.toBytes(body)));
  }
}
