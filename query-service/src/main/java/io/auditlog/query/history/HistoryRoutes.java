package io.auditlog.query.history;

import io.auditlog.query.GatewayIdentity;
import io.auditlog.query.StreamSlots;
import io.auditlog.query.TimeParser;
import io.auditlog.store.read.ConsoleCommands;
import io.auditlog.store.read.DeletionLog;
import io.auditlog.store.read.HistoryPoints;
import io.auditlog.store.read.InfluxQueries;
import io.auditlog.web.InternalTokens;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Optional;

/**
 * The verifiable history's endpoints, {@code GET /audit/{tenant}/…} with {@code {tenant}} = {@code [1-9][0-9]*} (so
 * {@code /audit/log} and {@code /audit/metrics} are never among them): checkpoint, checkpoints/{size}, keys,
 * proof/inclusion, proof/consistency, tile/… and export. Each answers only for the caller's own tenant, and with the
 * history off each answers 404 {@code tlog_disabled} without touching PostgreSQL.
 */
public final class HistoryRoutes {

  /** The path of every history endpoint: {@code /audit/{tenant}} and a suffix. */
  static final String PREFIX = "/audit/(?<tenant>[1-9][0-9]*)";

  private final GatewayIdentity identity;
  private final TenantHistory access;
  private final HistoryDb db;
  private final CheckpointRoutes checkpoints;
  private final ProofRoutes proofs;
  private final TileRoutes tiles;
  private final ExportRoutes exports;
  private final Optional<HistoryErasures> erasures;
  private final Optional<Long> retentionTimer;
  private final Vertx vertx;

  public HistoryRoutes(Vertx vertx, HistorySettings settings, GatewayIdentity identity, ConsoleCommands commands,
      HistoryPoints points, InfluxQueries influx, TimeParser time, StreamSlots streams) {
    this.identity = identity;
    this.access = new TenantHistory(settings.on());
    this.db = HistoryDb.connect(vertx, settings);
    CheckpointRows checkpointRows = new CheckpointRows(db);
    TileRows tileRows = new TileRows(db);
    ErasureRows erasureRows = new ErasureRows(db);
    this.checkpoints = new CheckpointRoutes(checkpointRows, new KeyRows(db));
    this.proofs = new ProofRoutes(new InclusionProofs(commands, checkpointRows, tileRows, erasureRows),
        checkpointRows, new TreeTiles(tileRows), time);
    this.tiles = new TileRoutes(checkpointRows, tileRows);
    this.exports = new ExportRoutes(new HistoryExport(checkpointRows, tileRows, erasureRows, points),
        checkpointRows, erasureRows, time, streams);
    this.erasures = HistoryErasures.of(vertx, settings, checkpointRows);
    this.retentionTimer = erasures.filter(e -> !settings.retention().isZero()).map(e -> new RetentionJob(vertx,
        HistoryErasures.login(settings), e, influx, settings.retention(), Clock.systemUTC())
        .schedule(settings.retentionInterval()));
    this.vertx = vertx;
  }

  /** What a delete by {@code caller} records before removing points; nothing with the history off. */
  public DeletionLog deletionLog(InternalTokens.Identity caller, String filter, String requestId) {
    return erasures.map(e -> e.of(caller, filter, requestId)).orElse(DeletionLog.NONE);
  }

  public void mount(Router router) {
    get(router, "/checkpoint", checkpoints::latest);
    get(router, "/checkpoints/(?<size>[^/]*)", checkpoints::stored);
    get(router, "/keys", checkpoints::keys);
    get(router, "/proof/inclusion", proofs::inclusion);
    get(router, "/proof/consistency", proofs::consistency);
    get(router, "/tile/(?<tile>.+)", tiles::serve);
    get(router, "/export", exports::export);
  }

  private void get(Router router, String suffix, Handler<RoutingContext> handler) {
    router.getWithRegex(PREFIX + suffix).handler(identity).handler(access).handler(handler);
  }

  /** Stops the retention job's timer and closes the PostgreSQL pool. */
  public Future<Void> close() {
    retentionTimer.ifPresent(vertx::cancelTimer);
    return db.close();
  }
}
