package io.auditlog.query.history;

import io.auditlog.query.StreamSlots;
import io.auditlog.query.TimeParser;
import io.auditlog.web.RequestIds;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code …/export}: the range {@link ExportRange} reads, streamed as NDJSON ({@link HistoryExport}, gzipped when
 * accepted) as the attachment {@code audit-<tenant>-<from>-<to>.ndjson}, in one of the tenant's stream slots (as lists
 * and exports of events: a reader that stops reading holds one, never more). Callers with a view get 403. A failure
 * before the first line is an error answer; after it the connection is reset, so that a cut export never looks
 * complete.
 */
final class ExportRoutes {

  static final String NDJSON = "application/x-ndjson";
  private static final Logger LOG = LoggerFactory.getLogger(ExportRoutes.class);

  private final HistoryExport export;
  private final CheckpointRows checkpoints;
  private final ErasureRows erasures;
  private final TimeParser time;
  private final StreamSlots streams;

  ExportRoutes(HistoryExport export, CheckpointRows checkpoints, ErasureRows erasures, TimeParser time,
      StreamSlots streams) {
    this.export = export;
    this.checkpoints = checkpoints;
    this.erasures = erasures;
    this.time = time;
    this.streams = streams;
  }

  void export(RoutingContext ctx) {
    TenantHistory.requireWholeView(ctx);
    long tenant = TenantHistory.tenant(ctx);
    ExportRange.resolve(tenant, ctx.queryParams(), time, checkpoints, erasures)
        .compose(range -> {
          EncodedBody body = EncodedBody.of(ctx.request(), ctx.response())
              .header("Content-Type", NDJSON)
              .header("Content-Disposition", "attachment; filename=\"audit-" + tenant + "-"
                  + Long.toUnsignedString(range.from()) + "-" + Long.toUnsignedString(range.to()) + ".ndjson\"");
          return streams.run(Long.toString(tenant), () -> export.write(tenant, range, body));
        })
        .onFailure(failure -> {
          if (ctx.response().headWritten()) {
            LOG.error("export of tenant {} cut off [request id {}]", tenant, RequestIds.of(ctx), failure);
          }
          ctx.fail(failure);
        });
  }
}
