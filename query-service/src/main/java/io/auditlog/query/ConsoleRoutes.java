package io.auditlog.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.modsecurity.RawEntry;
import io.auditlog.store.read.ConsoleCommands;
import io.auditlog.filter.Filter;
import io.auditlog.filter.Variable;
import io.auditlog.filter.Variables;
import io.auditlog.model.ApiException;
import io.auditlog.model.FieldError;
import io.auditlog.web.InternalTokens;
import io.auditlog.web.RequestIds;
import io.auditlog.web.Responses;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The AuditConsole commands, answered in plain text as the AuditConsole did: {@code count} (a number, or a
 * {@code VAR;COUNT} table with {@code variable}), {@code list} (ids, newest first, default limit 10), {@code delete}
 * (default limit 1, answers the number deleted) and {@code get} (the event as JSON). Every one acts inside the
 * caller's view; {@code delete} only for callers the gateway allowed to delete.
 */
final class ConsoleRoutes {

  static final String TEXT = "text/plain; charset=utf-8";
  private static final int LIST_LIMIT = 10;
  private static final int DELETE_LIMIT = 1;

  private final GatewayIdentity identity;
  private final ConsoleCommands commands;
  private final TimeParser time;
  private final DeletionLogs erasures;
  private final StreamSlots streams;
  private final HourlyCounts hourly;

  ConsoleRoutes(GatewayIdentity identity, ConsoleCommands commands, HourlyCounts hourly, TimeParser time,
      DeletionLogs erasures, StreamSlots streams) {
    this.hourly = hourly;
    this.erasures = erasures;
    this.identity = identity;
    this.commands = commands;
    this.time = time;
    this.streams = streams;
  }

  void mount(Router router) {
    router.get("/api/events/count").handler(identity).handler(this::count);
    router.get("/api/events/list").handler(identity).handler(this::list);
    router.get("/api/events/get").handler(identity).handler(this::get);
    router.route("/api/events/delete").method(HttpMethod.GET).method(HttpMethod.POST).method(HttpMethod.DELETE)
        .handler(identity).handler(this::delete);
  }

  private void count(RoutingContext ctx) {
    InternalTokens.Identity caller = GatewayIdentity.of(ctx);
    Filter filter = Filters.effective(caller.view(), ctx.queryParams().get("filter"));
    String name = ctx.queryParams().get("variable");
    if (name == null) {
      commands.count(caller.tenant(), filter, time.now())
          .onSuccess(count -> text(ctx, count + "\n"))
          .onFailure(ctx::fail);
      return;
    }
    Variable variable = countable(name);
    Supplier<Future<Map<String, Long>>> whole = () -> commands.countsBy(caller.tenant(), filter, variable,
        time.now());
    (hourly.answers(caller.tenant(), filter, variable) ? hourly.countBy(caller.tenant(), variable, whole) : whole.get())
        .onSuccess(counts -> text(ctx, CountTable.csv(name, ConsoleCommands.largestFirst(counts))))
        .onFailure(ctx::fail);
  }

  /**
   * Streams the ids, in one of the tenant's stream slots: what was found is written out before each further read, so
   * a long list never sits in memory. A failure before the first write is an error answer; after it, the connection
   * is reset, so that a cut list never looks complete.
   */
  private void list(RoutingContext ctx) {
    InternalTokens.Identity caller = GatewayIdentity.of(ctx);
    Filter filter = Filters.effective(caller.view(), ctx.queryParams().get("filter"));
    long limit = limit(ctx.queryParams(), LIST_LIMIT);
    ctx.response().putHeader("Content-Type", TEXT);
    StringBuilder found = new StringBuilder();
    streamed(ctx, streams, caller.tenant(), found, beforeRead -> commands.list(caller.tenant(), filter, limit,
        time.now(), id -> found.append(id).append('\n'), beforeRead));
  }

  /**
   * Answers a streamed read of {@code tenant}'s events in one of its stream slots: what {@code read} puts in
   * {@code found} is written out before each further read (the supplier it is given), the rest at the end.
   */
  static void streamed(RoutingContext ctx, StreamSlots streams, String tenant, StringBuilder found,
      Function<Supplier<Future<Void>>, Future<Long>> read) {
    HttpServerResponse response = ctx.response();
    streams.run(tenant, () -> read.apply(() -> writeOut(response, found)))
        .onSuccess(count -> response.end(found.toString()))
        .onFailure(e -> failOrReset(ctx, e));
  }

  /** A failure before the first write is an error answer; after it the connection is reset, never ended cleanly. */
  private static void failOrReset(RoutingContext ctx, Throwable failure) {
    if (ctx.response().headWritten()) {
      ctx.response().reset();
    } else {
      ctx.fail(failure);
    }
  }

  /** Writes out what was found so far (the first write starts a chunked answer) and empties {@code found}. */
  private static Future<Void> writeOut(HttpServerResponse response, StringBuilder found) {
    if (found.isEmpty()) {
      return Future.succeededFuture();
    }
    if (!response.headWritten()) {
      response.setChunked(true);
    }
    String text = found.toString();
    found.setLength(0);
    return response.write(text);
  }

  private void delete(RoutingContext ctx) {
    InternalTokens.Identity caller = GatewayIdentity.of(ctx);
    if (!caller.mayDelete()) {
      throw ApiException.of(403, "forbidden", "These credentials may only read events.");
    }
    Filter filter = Filters.effective(caller.view(), ctx.queryParams().get("filter"));
    commands.delete(caller.tenant(), filter, limit(ctx.queryParams(), DELETE_LIMIT), time.now(),
            erasures.of(caller, ctx.queryParams().get("filter"), RequestIds.of(ctx)))
        .onSuccess(deleted -> text(ctx, deleted + "\n"))
        .onFailure(ctx::fail);
  }

  /**
   * The event by its id or its ModSecurity unique id (the newest in the view); {@code format=raw} answers the
   * ModSecurity entry as it was received, rebuilt on the worker pool.
   */
  private void get(RoutingContext ctx) {
    InternalTokens.Identity caller = GatewayIdentity.of(ctx);
    boolean raw = raw(ctx.queryParams());
    commands.get(caller.tenant(), id(ctx.queryParams()), Filters.view(caller.view()), time.now())
        .map(event -> event.orElseThrow(() -> ApiException.notFound("Event not found.")))
        .compose(found -> {
          if (!raw) {
            Responses.json(ctx, 200, found);
            return Future.succeededFuture();
          }
          return ctx.vertx().executeBlocking(() -> rawEntry(found), false).map(bytes -> {
            ctx.response().putHeader("Content-Type", "application/octet-stream").end(Buffer.buffer(bytes));
            return null;
          });
        })
        .onFailure(ctx::fail);
  }

  /**
   * The entry's bytes: 404 when the event holds no ModSecurity entry, 422 {@code raw_unavailable} when a part was
   * cut to fit the store (or the stored entry cannot be rebuilt).
   */
  static byte[] rawEntry(JsonNode event) {
    if (!event.path("event").path("detail").path("modsecurity").isObject()) {
      throw ApiException.notFound("The event holds no ModSecurity entry.");
    }
    return RawEntry.rebuild(event).orElseThrow(() -> ApiException.of(422, "raw_unavailable",
        "Parts of this ModSecurity entry were cut to fit the store, so it cannot be rebuilt as received."));
  }

  /** {@code format}: {@code json} (the default) or {@code raw}. */
  static boolean raw(MultiMap params) {
    String format = params.get("format");
    if (format == null || format.equals("json")) {
      return false;
    }
    if (!format.equals("raw")) {
      throw ApiException.validation(new FieldError(List.of("query", "format"), "must be json or raw",
          "value_error"));
    }
    return true;
  }

  private static void text(RoutingContext ctx, String body) {
    ctx.response().putHeader("Content-Type", TEXT).end(body);
  }

  /** {@code limit}: a whole number, {@code -1} for no limit. */
  static long limit(MultiMap params, int defaultLimit) {
    String raw = params.get("limit");
    if (raw == null || raw.isEmpty()) {
      return defaultLimit;
    }
    if (!raw.matches("-1|0|[1-9][0-9]{0,17}")) {
      throw ApiException.validation(new FieldError(List.of("query", "limit"),
          "must be a whole number, or -1 for no limit", "type_error.integer"));
    }
    return Long.parseLong(raw);
  }

  /** The variable to count by: any filter variable with values (not {@code age}, which changes as time passes). */
  static Variable countable(String name) {
    return Variables.resolve(name).filter(v -> v.kind() != Variable.Kind.AGE).orElseThrow(() ->
        ApiException.validation(new FieldError(List.of("query", "variable"),
            "must be a variable of the filter language (and not age)", "value_error")));
  }

  /** The event id: {@code id=ID}, or the AuditConsole's bare {@code ?ID}. */
  static String id(MultiMap params) {
    String id = params.get("id");
    if (id == null && params.size() == 1) {
      String only = params.names().iterator().next();
      id = params.get(only).isEmpty() ? only : null;
    }
    if (id == null || id.isEmpty()) {
      throw ApiException.validation(new FieldError(List.of("query", "id"),
          "an event id is required: get?ID or get?id=ID", "value_error.missing"));
    }
    return id;
  }
}
