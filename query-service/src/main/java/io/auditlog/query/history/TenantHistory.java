package io.auditlog.query.history;

import io.auditlog.model.ApiException;
import io.auditlog.query.GatewayIdentity;
import io.auditlog.web.InternalTokens;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Admits a request to {@code /audit/{tenant}/…} after the gateway's identity: 404 {@code tlog_disabled} while the
 * history is off, 404 {@code not_found} for another tenant's id (its existence is not revealed). Keeps the tenant id
 * for the routes behind.
 */
final class TenantHistory implements Handler<RoutingContext> {

  private static final String KEY = "history-tenant";

  private final boolean on;

  TenantHistory(boolean on) {
    this.on = on;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!on) {
      throw HistoryErrors.disabled();
    }
    String tenant = ctx.pathParam("tenant");
    InternalTokens.Identity caller = GatewayIdentity.of(ctx);
    if (tenant == null || !tenant.equals(caller.tenant())) {
      throw ApiException.notFound("Not found.");
    }
    try {
      ctx.put(KEY, Long.parseLong(tenant));
    } catch (NumberFormatException e) {
      throw ApiException.notFound("Not found.");
    }
    ctx.next();
  }

  /** The tenant whose history is asked for: the caller's own. */
  static long tenant(RoutingContext ctx) {
    return ctx.<Long>get(KEY);
  }

  /** Tiles, entry bundles and exports reveal every event: a caller with a view gets 403 {@code view_restricted}. */
  static void requireWholeView(RoutingContext ctx) {
    if (GatewayIdentity.of(ctx).view().isPresent()) {
      throw HistoryErrors.viewRestricted();
    }
  }
}
