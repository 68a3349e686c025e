package io.auditlog.query;

import io.auditlog.store.read.InfluxEventStore;
import io.auditlog.store.read.LogQuery;
import io.auditlog.web.InternalTokens;
import io.auditlog.web.Responses;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** {@code GET /audit/log} (one page, newest first, {@code Link: rel="next"}) and {@code GET /audit/log/{event_id}}. */
public final class LogRoutes {

  private static final String LOG = "/audit/log";

  private final GatewayIdentity identity;
  private final InfluxEventStore store;
  private final LogQueryParser parser;
  private final TimeParser time;

  LogRoutes(GatewayIdentity identity, InfluxEventStore store, LogQueryParser parser, TimeParser time) {
    this.identity = identity;
    this.store = store;
    this.parser = parser;
    this.time = time;
  }

  public void mount(Router router) {
    router.get(LOG).handler(identity).handler(this::page);
    router.get("/audit/log/:event_id").handler(identity).handler(this::trail);
  }

  private void page(RoutingContext ctx) {
    LogQuery query = parser.parse(GatewayIdentity.of(ctx), ctx.queryParams());
    store.page(query)
        .onSuccess(events -> {
          if (events.size() > query.size()) {
            ctx.response().putHeader("Link", "<" + nextPage(ctx, query.page() + 1) + ">; rel=\"next\"");
          }
          Responses.json(ctx, 200, events.subList(0, Math.min(events.size(), query.size())));
        })
        .onFailure(ctx::fail);
  }

  private void trail(RoutingContext ctx) {
    InternalTokens.Identity identity = GatewayIdentity.of(ctx);
    store.trail(identity.tenant(), ctx.pathParam("event_id"), Filters.view(identity.view()), time.now())
        .onSuccess(events -> Responses.json(ctx, 200, events))
        .onFailure(ctx::fail);
  }

  /**
   * The same request with {@code page} replaced, as a path-absolute URL of the route itself: never the path as the
   * client wrote it, which may name another host ({@code //evil.example/../audit/log}).
   */
  private static String nextPage(RoutingContext ctx, int page) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    ctx.queryParams().names().forEach(name -> params.put(name, ctx.queryParams().getAll(name)));
    params.put("page", List.of(Integer.toString(page)));
    return LOG + "?" + params.entrySet().stream()
        .flatMap(e -> e.getValue().stream().map(v -> encode(e.getKey()) + "=" + encode(v)))
        .collect(Collectors.joining("&"));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
