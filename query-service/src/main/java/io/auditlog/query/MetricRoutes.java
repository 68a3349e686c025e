package io.auditlog.query;

import io.auditlog.store.read.MetricQuery;
import io.auditlog.store.read.MetricStore;
import io.auditlog.web.Responses;
import io.auditlog.web.InternalTokens;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /audit/metrics}, {@code GET /audit/metrics/{metric}}, {@code GET /audit/metrics/{field}/count}. */
final class MetricRoutes {

  private final GatewayIdentity identity;
  private final MetricStore store;
  private final MetricQueryParser parser;

  MetricRoutes(GatewayIdentity identity, MetricStore store, MetricQueryParser parser) {
    this.identity = identity;
    this.store = store;
    this.parser = parser;
  }

  void mount(Router router) {
    router.get("/audit/metrics").handler(identity).handler(this::names);
    router.get("/audit/metrics/:metric").handler(identity).handler(this::aggregate);
    router.get("/audit/metrics/:field/count").handler(identity).handler(this::count);
  }

  private void names(RoutingContext ctx) {
    InternalTokens.Identity identity = GatewayIdentity.of(ctx);
    store.names(identity.tenant(), identity.view().isPresent())
        .onSuccess(names -> Responses.json(ctx, 200, names))
        .onFailure(ctx::fail);
  }

  private void aggregate(RoutingContext ctx) {
    InternalTokens.Identity identity = GatewayIdentity.of(ctx);
    MetricQuery query = parser.parse(identity, ctx.pathParam("metric"), ctx.queryParams());
    store.aggregate(query, identity.view().isPresent())
        .onSuccess(groups -> Responses.json(ctx, 200, groups))
        .onFailure(ctx::fail);
  }

  private void count(RoutingContext ctx) {
    String field = MetricQueryParser.categorical(ctx.pathParam("field"), "field");
    MetricQuery query = parser.parse(GatewayIdentity.of(ctx), field, ctx.queryParams());
    store.count(field, query.selection(), query.interval())
        .onSuccess(windows -> Responses.json(ctx, 200, windows))
        .onFailure(ctx::fail);
  }
}
