package io.auditlog.query;

import io.auditlog.web.InternalTokens;
import io.auditlog.web.Responses;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** {@code GET /audit/log} (one page, newest first, {@code Link: rel="next"}) and {@code GET /audit/log/{event_id}}. */
public final class LogRoutes {

  private static final String IDENTITY = "identity";

  private final InternalTokens internalTokens;
  private final InfluxEventStore store;
  private final LogQueryParser parser;

  public LogRoutes(InternalTokens internalTokens, InfluxEventStore store, LogQueryParser parser) {
    this.internalTokens = internalTokens;
    this.store = store;
    this.parser = parser;
  }

  public void mount(Router router) {
    Handler<RoutingContext> identify = this::identify;
    router.get("/audit/log").handler(identify).handler(this::page);
    router.get("/audit/log/:event_id").handler(identify).handler(this::trail);
  }

  /** Accepts only requests that carry the gateway's signed identity. */
  private void identify(RoutingContext ctx) {
    internalTokens.verify(ctx.request().getHeader(InternalTokens.HEADER))
        .onSuccess(identity -> {
          ctx.put(IDENTITY, identity);
          ctx.next();
        })
        .onFailure(ctx::fail);
  }

  private static InternalTokens.Identity identity(RoutingContext ctx) {
    return ctx.get(IDENTITY);
  }

  private void page(RoutingContext ctx) {
    LogQuery query = parser.parse(identity(ctx).tenant(), ctx.queryParams());
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
    store.trail(identity(ctx).tenant(), ctx.pathParam("event_id"))
        .onSuccess(events -> Responses.json(ctx, 200, events))
        .onFailure(ctx::fail);
  }

  /** The same request with {@code page} replaced, as a path-absolute URL. */
  private static String nextPage(RoutingContext ctx, int page) {
    Map<String, List<String>> params = new java.util.LinkedHashMap<>();
    ctx.queryParams().names().forEach(name -> params.put(name, ctx.queryParams().getAll(name)));
    params.put("page", List.of(Integer.toString(page)));
    return ctx.request().path() + "?" + params.entrySet().stream()
        .flatMap(e -> e.getValue().stream().map(v -> encode(e.getKey()) + "=" + encode(v)))
        .collect(Collectors.joining("&"));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
