package io.auditlog.query;

import io.auditlog.query.history.HistoryRoutes;
import io.auditlog.store.read.ConsoleCommands;
import io.auditlog.store.read.CountsByHour;
import io.auditlog.store.read.EventDeleter;
import io.auditlog.store.read.EventScanner;
import io.auditlog.store.read.HistoryPoints;
import io.auditlog.store.read.InfluxEventStore;
import io.auditlog.store.read.InfluxQueries;
import io.auditlog.store.read.MetricStore;
import io.auditlog.store.read.ReadBudget;
import io.auditlog.store.read.StoredShapes;
import io.auditlog.store.read.StreamPermits;
import io.auditlog.store.read.TenantWorkers;
import io.auditlog.model.TenantInfluxUsers;
import io.auditlog.web.FailureHandler;
import io.auditlog.web.HealthHandler;
import io.auditlog.web.IdleConnections;
import io.auditlog.web.InternalTokens;
import io.auditlog.web.Metrics;
import io.auditlog.web.RequestIds;
import io.auditlog.web.RequestTargets;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the query-service: the InfluxDB client, the verifiable history's PostgreSQL pool, the routes,
 * {@code /metrics}, and the HTTP server (reached only by the gateway and the metrics scraper).
 */
public final class QueryVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(QueryVerticle.class);

  private static final int HOURLY_POOL_SIZE = 4;
  /**
   * Connections to InfluxDB for queries, deletes and writes, handed out by tenant: one tenant's slow queries hold
   * a quarter of them.
   */
  private static final int INFLUX_CONNECTIONS = 8;
  /** Room for the longest filter the language takes, every character percent-encoded from three UTF-8 bytes. */
  private static final int MAX_REQUEST_LINE = 256 * 1024;

  private final QueryConfig config;
  private final Metrics metrics;
  private HistoryRoutes history;
  private Pool countsPool;
  private long keeping = -1;

  public QueryVerticle(QueryConfig config, Metrics metrics) {
    this.config = config;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    StreamPermits streamed = new StreamPermits(config.streamedReads());
    Gauge.builder("auditlog_query_streams_open", streamed, StreamPermits::taken)
        .description("categories being read as one streamed statement").register(metrics.registry());
    FunctionCounter.builder("auditlog_query_streamed_categories_total", streamed, StreamPermits::granted)
        .tag("outcome", "streamed").description("categories of whole listings read as one streamed statement")
        .register(metrics.registry());
    FunctionCounter.builder("auditlog_query_streamed_categories_total", streamed, StreamPermits::refused)
        .tag("outcome", "refused").description("categories of whole listings read in statements, no stream free")
        .register(metrics.registry());
    TenantWorkers evaluation = new TenantWorkers(
        vertx.createSharedWorkerExecutor("filter-evaluation", config.evaluationThreads()), config.evaluationThreads(),
        config.taskBudget());
    InfluxQueries influx = new InfluxQueries(vertx, INFLUX_CONNECTIONS, config.readBudget().time(),
        vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(Math.max(1,
            streamed.total()))),
        evaluation, config.influxUrl(), new TenantInfluxUsers(config.influxTenantSecret()));
    ReadBudget budget = config.readBudget();
    EventScanner scanner = new EventScanner(influx, evaluation, budget, streamed);
    InfluxEventStore store = new InfluxEventStore(influx, scanner, budget);
    StoredShapes shapes = new StoredShapes(influx);
    Router router = Router.router(vertx);
    router.route().handler(new RequestIds());
    router.route().handler(new CallerWatch());
    router.route().handler(new RequestTargets());
    router.get("/health").handler(new HealthHandler("auditlog-query-service").check("influxdb", influx::ping));
    metrics.mount(router);
    GatewayIdentity identity = new GatewayIdentity(new InternalTokens(vertx, config.internalSecret()));
    TimeParser time = new TimeParser(Clock.systemUTC());
    LogQueryParser logQueries = new LogQueryParser(time);
    new LogRoutes(identity, store, logQueries, time).mount(router);
    new MetricRoutes(identity, new MetricStore(influx, scanner, shapes, budget), new MetricQueryParser(logQueries))
        .mount(router);
    ConsoleCommands commands = new ConsoleCommands(influx, scanner,
        new EventDeleter(influx, scanner, config.deleteSettle()), shapes, budget);
    countsPool = config.history().pgPool(vertx, "count-rollups", HOURLY_POOL_SIZE);
    HourlyCounts hourly = new HourlyCounts(countsPool, new CountsByHour(influx, scanner, shapes, budget),
        config.hourlyCounts());
    influx.erasing(hourly);
    if (config.keepsCounts()) {
      CountKeeper keeper = new CountKeeper(countsPool, hourly, config.countKeeping(), Clock.systemUTC());
      keeping = vertx.setPeriodic(config.countKeeping().toMillis(), id -> keeper.tick());
    }
    StreamSlots streams = new StreamSlots(config.streamsPerTenant());
    history = new HistoryRoutes(vertx, config.history(), identity, commands, new HistoryPoints(influx, scanner), influx,
        time, streams);
    new ConsoleRoutes(identity, commands, hourly, time, history::deletionLog, streams).mount(router);
    new ExportRoutes(identity, commands, time, streams).mount(router);
    history.mount(router);
    FailureHandler.install(router);
    // The gateway forwards a command's form (a filter of up to 16,384 characters, percent-encoded) in the query.
    return IdleConnections.listen(vertx, new HttpServerOptions().setHost(config.host()).setPort(config.port())
            .setMaxInitialLineLength(MAX_REQUEST_LINE), router, IdleConnections.INTERNAL)
        .onSuccess(s -> LOG.info("query-service listening on {}:{}", config.host(), s.actualPort()));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(keeping);
    Future<Void> counts = countsPool == null ? Future.succeededFuture() : countsPool.close();
    return counts.eventually(() -> history == null ? Future.succeededFuture() : history.close());
  }
}
