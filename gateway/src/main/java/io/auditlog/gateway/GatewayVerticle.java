package io.auditlog.gateway;

import io.auditlog.gateway.accounts.AccessKeys;
import io.auditlog.gateway.accounts.AccountRepository;
import io.auditlog.gateway.accounts.AccountRoutes;
import io.auditlog.gateway.accounts.AdminBootstrap;
import io.auditlog.gateway.accounts.PasswordHasher;
import io.auditlog.gateway.accounts.UserTokens;
import io.auditlog.gateway.ingest.EventPublisher;
import io.auditlog.gateway.ingest.IngestRoutes;
import io.auditlog.gateway.ingest.KafkaTopics;
import io.auditlog.gateway.queries.QueryProxy;
import io.auditlog.gateway.storage.InfluxAdmin;
import io.auditlog.gateway.storage.Postgres;
import io.auditlog.web.FailureHandler;
import io.auditlog.web.HealthHandler;
import io.auditlog.web.InternalTokens;
import io.auditlog.web.RequestIds;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the gateway: storage clients, routes, and the HTTP server. Holds no logic of its own. */
public final class GatewayVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);

  private final GatewayConfig config;
  private KafkaTopics topics;
  private EventPublisher publisher;
  private Pool pool;
  private HttpServer server;

  public GatewayVerticle(GatewayConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    if (config.mailMode() == GatewayConfig.MailMode.DEV) {
      LOG.warn("AUDIT_MAIL_MODE=dev: activation and reset links are returned in responses and logged. "
          + "Use smtp for anything but a local stack.");
    }
    WebClient http = WebClient.create(vertx);
    InfluxAdmin influx = new InfluxAdmin(http, config.influxUrl());
    topics = new KafkaTopics(vertx, config.kafkaBootstrap());
    publisher = new EventPublisher(vertx, config.kafkaBootstrap(), config.topic(), config.publishTimeout());
    return Postgres.connect(vertx, config)
        .compose(connected -> {
          pool = connected;
          return topics.ensure(config.topic(), config.topicPartitions());
        })
        .compose(ignored -> {
          AccountRepository accounts = new AccountRepository(pool);
          PasswordHasher hasher = new PasswordHasher(vertx);
          AccessKeys keys = new AccessKeys(config.keySecret());
          Router router = router(http, influx, accounts, hasher, keys);
          return new AdminBootstrap(accounts, hasher, keys, influx)
              .ensureAdmin(config.adminEmail(), config.adminPassword())
              .compose(admin -> vertx.createHttpServer(new HttpServerOptions()
                  .setHost(config.host()).setPort(config.port())).requestHandler(router).listen());
        })
        .onSuccess(listening -> {
          server = listening;
          LOG.info("gateway listening on http://{}:{}", config.host(), listening.actualPort());
        });
  }

  private Router router(WebClient http, InfluxAdmin influx, AccountRepository accounts, PasswordHasher hasher,
      AccessKeys keys) {
    Router router = Router.router(vertx);
    router.route().handler(new RequestIds());
    router.route().handler(BodyHandler.create(false).setBodyLimit(config.bodyLimitBytes()));
    router.get("/health").handler(new HealthHandler("auditlog-gateway")
        .check("kafka", topics::ping)
        .check("postgres", accounts::ping)
        .check("influxdb", influx::ping));
    AccountRoutes accountRoutes = new AccountRoutes(accounts, hasher,
        new UserTokens(vertx, config.jwtSecret(), config.tokenLifetime()), keys);
    accountRoutes.mount(router);
    new IngestRoutes(accounts, publisher, config.batchLimit()).mount(router);
    new QueryProxy(http, config.queryServiceUrl(), new InternalTokens(vertx, config.internalSecret()),
        accountRoutes.bearer()).mount(router);
    FailureHandler.install(router);
    return router;
  }

  @Override
  public Future<?> stop() {
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed
        .eventually(() -> vertx.executeBlocking(() -> {
          publisher.close();
          topics.close();
          return null;
        }))
        .eventually(() -> pool == null ? Future.succeededFuture() : pool.close());
  }
}
