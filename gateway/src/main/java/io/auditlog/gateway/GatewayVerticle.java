package io.auditlog.gateway;

import io.auditlog.gateway.health.IngestionMonitor;
import io.auditlog.gateway.limits.ConnectionCap;
import io.auditlog.gateway.ingest.EventPublisher;
import io.auditlog.gateway.ingest.KafkaAdmin;
import io.auditlog.gateway.ingest.KafkaTopics;
import io.auditlog.gateway.storage.InstanceClaim;
import io.auditlog.gateway.storage.Postgres;
import io.auditlog.model.Topics;
import io.auditlog.web.FailureHandler;
import io.auditlog.web.Metrics;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the gateway: storage clients and the shared components once, then one {@link HttpVerticle} per event loop
 * ({@code AUDIT_EVENT_LOOPS}) on the public port, and {@code /metrics} on a listener of its own
 * ({@code AUDIT_METRICS_HOST}:{@code AUDIT_METRICS_PORT}), never on the public port. Holds no logic of its own.
 */
public final class GatewayVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);

  private final GatewayConfig config;
  private final Metrics metrics;
  private KafkaAdmin admin;
  private IngestionMonitor ingestion;
  private EventPublisher publisher;
  private Pool pool;
  private InstanceClaim claim;
  private final List<HttpVerticle> servers = new CopyOnWriteArrayList<>();
  private String serversDeployment;
  private HttpServer metricsServer;

  public GatewayVerticle(GatewayConfig config, Metrics metrics) {
    this.config = config;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    if (config.mailMode() == GatewayConfig.MailMode.DEV) {
      LOG.warn("AUDIT_MAIL_MODE=dev: activation and reset links are returned in responses and logged. "
          + "Use smtp for anything but a local stack.");
    }
    admin = new KafkaAdmin(vertx, config.kafkaBootstrap(), config.kafka().admin());
    KafkaTopics topics = new KafkaTopics(admin);
    ingestion = new IngestionMonitor(config.kafkaBootstrap(), config.kafka().service(),
        config.topic(), Topics.INGRESS, config.ingestionHealth().workerGroup(),
        config.ingestionHealth().thresholds(), Clock.systemUTC()).register(metrics.registry()).start();
    publisher = new EventPublisher(vertx, config.kafkaBootstrap(), config.kafka().service(), config.topic(),
        config.publishTimeout(), config.kafkaCompression(), metrics.registry());
    return Postgres.connect(vertx, config)
        .compose(connected -> {
          pool = connected;
          return InstanceClaim.claim(vertx, Postgres.connectOptions(config), config.instance(),
              config.instanceTiming());
        })
        .compose(claimed -> {
          claim = claimed;
          return topics.ensure(config.topic(), config.topicPartitions());
        })
        .compose(ignored -> GatewayRoutes.build(vertx, config, pool, admin, publisher, claim, ingestion,
            metrics.registry()))
        .compose(routes -> {
          HttpServerOptions options = new HttpServerOptions().setHost(config.host()).setPort(config.port());
          ConnectionCap cap = new ConnectionCap(config.connections().max(), config.connections().perAddress());
          return vertx.deployVerticle(() -> {
            HttpVerticle server = new HttpVerticle(routes, options, config.idleTimeout(), cap);
            servers.add(server);
            return server;
          }, new DeploymentOptions().setInstances(config.eventLoops()));
        })
        .compose(deployment -> {
          serversDeployment = deployment;
          LOG.info("gateway listening on http://{}:{} ({} event loops)", config.host(), config.port(),
              config.eventLoops());
          return serveMetrics();
        });
  }

  /** {@code GET /metrics} alone, on the metrics listener; nothing when its port is 0. */
  private Future<?> serveMetrics() {
    GatewayConfig.MetricsListener listener = config.metrics();
    if (listener.port() == 0) {
      return Future.succeededFuture();
    }
    Router router = Router.router(vertx);
    metrics.mount(router);
    FailureHandler.install(router);
    return vertx.createHttpServer(new HttpServerOptions().setHost(listener.host()).setPort(listener.port()))
        .invalidRequestHandler(FailureHandler::invalidRequest).requestHandler(router).listen()
        .onSuccess(server -> {
          metricsServer = server;
          LOG.info("gateway metrics on http://{}:{}/metrics", listener.host(), listener.port());
        });
  }

  /** This gateway's instance number, once started. */
  int instance() {
    return claim.number();
  }

  /** How many HTTP servers (one per event loop) run, once started. */
  int httpServers() {
    return servers.size();
  }

  /** The routes one event loop mounted, once started (for the test that holds them against the OpenAPI document). */
  Router router() {
    return servers.get(0).router();
  }

  @Override
  public Future<?> stop() {
    Future<Void> closed = serversDeployment == null ? Future.succeededFuture()
        : vertx.undeploy(serversDeployment).otherwiseEmpty();
    return closed
        .eventually(() -> metricsServer == null ? Future.succeededFuture() : metricsServer.close())
        .eventually(() -> vertx.executeBlocking(() -> {
          publisher.close();
          admin.close();
          ingestion.close();
          return null;
        }))
        .eventually(() -> claim == null ? Future.succeededFuture() : claim.release())
        .eventually(() -> pool == null ? Future.succeededFuture() : pool.close());
  }
}
