package io.auditlog.query;

import io.auditlog.web.InternalTokens;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** Accepts only requests that carry the gateway's signed identity, and keeps it for the routes behind. */
public final class GatewayIdentity implements Handler<RoutingContext> {

  private static final String KEY = "identity";

  private final InternalTokens tokens;

  public GatewayIdentity(InternalTokens tokens) {
    this.tokens = tokens;
  }

  @Override
  public void handle(RoutingContext ctx) {
    tokens.verify(ctx.request().getHeader(InternalTokens.HEADER))
        .onSuccess(identity -> {
          ctx.put(KEY, identity);
          ctx.next();
        })
        .onFailure(ctx::fail);
  }

  public static InternalTokens.Identity of(RoutingContext ctx) {
    return ctx.get(KEY);
  }
}
