package io.auditlog.query;

import io.auditlog.filter.Filter;
import io.auditlog.store.read.ConsoleCommands;
import io.auditlog.web.InternalTokens;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/events/export}: every event that {@code (view) AND (filter)} selects, newest first, as NDJSON or
 * CSV ({@link ExportFormat}). It reads exactly as {@code /api/events/list} does — the same effective filter, stream
 * budget, row limit and stream slots ({@link StreamSlots}) — and streams: what was found is written out before each
 * further read. A failure before the first write is an error answer; after it the connection is reset, so that a cut
 * export never looks complete.
 */
final class ExportRoutes {

  private final GatewayIdentity identity;
  private final ConsoleCommands commands;
  private final TimeParser time;
  private final StreamSlots streams;

  ExportRoutes(GatewayIdentity identity, ConsoleCommands commands, TimeParser time, StreamSlots streams) {
    this.identity = identity;
    this.commands = commands;
    this.streams = streams;
    this.time = time;
  }

  void mount(Router router) {
    router.get("/api/events/export").handler(identity).handler(this::export);
  }

  private void export(RoutingContext ctx) {
    InternalTokens.Identity caller = GatewayIdentity.of(ctx);
    ExportFormat format = ExportFormat.of(ctx.queryParams().get("format"));
    Filter filter = Filters.effective(caller.view(), ctx.queryParams().get("filter"));
    ctx.response()
        .putHeader("Content-Type", format.contentType())
        .putHeader("Content-Disposition", "attachment; filename=\"" + format.fileName() + "\"");
    StringBuilder found = new StringBuilder(format.header());
    ConsoleRoutes.streamed(ctx, streams, caller.tenant(), found, beforeRead -> commands.export(caller.tenant(), filter,
        time.now(), event -> found.append(format.line(event)), beforeRead));
  }
}
