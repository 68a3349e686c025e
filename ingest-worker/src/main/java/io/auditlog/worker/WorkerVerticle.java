package io.auditlog.worker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.model.Json;
import io.auditlog.store.InfluxWriter;
import io.auditlog.tlog.PgLogin;
import io.auditlog.tlog.RepublishedLeaves;
import io.auditlog.tlog.SaltDerivation;
import io.auditlog.tlog.Sequencer;
import io.auditlog.tlog.keys.TlogKeys;
import io.auditlog.tlog.keys.TlogSecrets;
import io.auditlog.tlog.sign.CheckpointSigner;
import io.auditlog.web.FailureHandler;
import io.auditlog.web.HealthHandler;
import io.auditlog.web.HealthHandler.Report;
import io.auditlog.web.HealthHandler.Status;
import io.auditlog.web.IdleConnections;
import io.auditlog.web.LoginPrivileges;
import io.auditlog.web.Metrics;
import io.auditlog.web.RequestIds;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the consumer loop on its own thread and serves {@code /health} and {@code /metrics}. */
public final class WorkerVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerVerticle.class);

  private final WorkerConfig config;
  private final Metrics metrics;
  private KafkaClientMetrics consumerMetrics;
  private DeadLetters deadLetters;
  private AccessKeyDirectory directory;
  private IngestLoop loop;
  private Thread loopThread;
  private HttpServer server;
  private HistoryStage history;
  private ChangedHours changed;
  private TenantShapes shapes;
  private CheckpointSigner signer;

  public WorkerVerticle(WorkerConfig config, Metrics metrics) {
    this.config = config;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    return vertx.executeBlocking(() -> {
      if (config.accounts().migrate()) {
        WorkerSchema.migrate(config.accounts().login());
      }
      LoginPrivileges.warnOf(config.accounts().login()::connect, "the ingest worker", config.accounts().migrate());
      PgLogin sessions = config.accounts().sessionLogin();
      changed = ChangedHours.in(sessions);
      shapes = TenantShapes.in(sessions);
      return openHistory();
    }, false).compose(this::startLoop);
  }

  /**
   * With the history on: its tables migrated, its keys loaded (made on the very first start), the stage that places
   * batches and the checkpoint signer (which signs only while this member holds the signer's lock). Blocking.
   */
  private HistoryStage openHistory() throws SQLException {
    WorkerConfig.History settings = config.history();
    if (!settings.on()) {
      LOG.warn("AUDIT_TLOG=off: events stored now stay outside their tenants' verifiable histories");
      return HistoryStage.off();
    }
    PgLogin login = config.accounts().login();
    TlogSecrets secrets = new TlogKeys(login, settings.secret()).load();
    signer = new CheckpointSigner(login, secrets, settings.checkpointInterval(), settings.checkpointRetention(),
        metrics.registry());
    signer.start();
    vertx.setPeriodic(Duration.ofHours(1).toMillis(), id -> vertx.executeBlocking(() -> pruneRepublished(login)));
    return HistoryStage.on(new Sequencer(settings.publicHost()), new SaltDerivation(secrets.saltKey()),
        config.accounts().sessionLogin(), config.ingressTopic());
  }

  private int pruneRepublished(PgLogin login) throws SQLException {
    try (Connection connection = login.connect()) {
      return RepublishedLeaves.prune(connection, config.history().republishedRetention());
    }
  }

  private BoundedBytes boundedBytes() {
    return new BoundedBytes(config.ingressTopic(), IngestLoop.MAX_INGRESS_RECORD_BYTES);
  }

  private Future<?> startLoop(HistoryStage history) {
    this.history = history;
    deadLetters = new DeadLetters(config.kafkaBootstrap(), config.kafkaLogin(), config.deadLetterTopic());
    Map<String, Object> properties = new HashMap<>(config.kafkaLogin().clientProperties());
    properties.putAll(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap(),
        ConsumerConfig.GROUP_ID_CONFIG, config.groupId(),
        ConsumerConfig.CLIENT_ID_CONFIG, "ingest-worker-" + UUID.randomUUID(),
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.batchSize(),
        ConsumerConfig.FETCH_MAX_BYTES_CONFIG, config.batchBytes(),
        ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) config.sessionTimeout().toMillis(),
        ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(500, config.sessionTimeout().toMillis() / 4),
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        "org.apache.kafka.clients.consumer.CooperativeStickyAssignor"));
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, boundedBytes(), boundedBytes());
    // Outside the group (assigned, never committing), one record a poll: see CarefulReads.
    Map<String, Object> careful = new HashMap<>(properties);
    careful.remove(ConsumerConfig.GROUP_ID_CONFIG);
    careful.remove(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);
    careful.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
    careful.put(ConsumerConfig.CLIENT_ID_CONFIG, properties.get(ConsumerConfig.CLIENT_ID_CONFIG) + "-careful");
    consumerMetrics = new KafkaClientMetrics(consumer);
    consumerMetrics.bindTo(metrics.registry());
    WorkerConfig.Accounts accounts = config.accounts();
    directory = new AccessKeyDirectory(accounts.sessionLogin(), accounts.cacheTtl());
    IngressPartitions ingress = new IngressPartitions(history);
    loop = new IngestLoop(consumer, () -> new KafkaConsumer<>(careful, boundedBytes(), boundedBytes()),
        new RecordDecoder(config.ingressTopic(), ingress, directory, accounts.batchLimit()), ingress,
        new InfluxWriter(config.influxUrl(), config.influxWriter(), config.influxTimeout()), history, changed,
        shapes, deadLetters, new WorkerMetrics(metrics.registry()), config);
    loopThread = new Thread(() -> {
      try {
        loop.run();
      } catch (Error e) {
        // The loop fails on an error and finishes its batches; an error while it finishes ends the process here.
        LOG.error("the consumer loop ended on {}; halting", e.toString());
        Runtime.getRuntime().halt(3);
      }
      if (loop.failed()) {
        // A worker that no longer consumes must not look alive: exit so the supervisor starts a fresh one.
        LOG.error("the consumer loop ended on an error; exiting");
        new Thread(() -> System.exit(1), "exit").start();
      }
    }, "ingest-loop");
    loopThread.start();

    WebClient http = WebClient.create(vertx);
    Router router = Router.router(vertx);
    router.route().handler(new RequestIds());
    router.get("/health").handler(new HealthHandler("auditlog-ingest-worker")
        .report("kafka", this::consumerHealth)
        .check("influxdb", () -> http.getAbs(config.influxUrl() + "/ping").send()
            .compose(r -> r.statusCode() == 204 ? Future.succeededFuture() : Future.failedFuture("ping"))));
    metrics.mount(router);
    FailureHandler.install(router);
    return IdleConnections.listen(vertx, new HttpServerOptions().setHost(config.host()).setPort(config.port()),
            router, IdleConnections.INTERNAL)
        .onSuccess(s -> {
          server = s;
          LOG.info("ingest worker serving /health and /metrics on {}:{}", config.host(), s.actualPort());
        });
  }

  /** UP while the loop polls (a member with no partitions is idle, not broken), with what it consumes. */
  private Future<Report> consumerHealth() {
    ObjectNode details = Json.MAPPER.createObjectNode()
        .put("partitions", loop.assignedPartitions())
        .put("lag", loop.lag())
        .put("last_poll_seconds_ago", loop.sinceLastPoll().toMillis() / 1000.0);
    return Future.succeededFuture(new Report(loop.healthy() ? Status.UP : Status.DOWN, details));
  }

  @Override
  public Future<?> stop() {
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.eventually(() -> vertx.executeBlocking(() -> {
      loop.stop();
      loopThread.join(60_000);
      consumerMetrics.close();
      deadLetters.close();
      history.close();
      if (changed != null) {
        changed.close();
        shapes.close();
      }
      if (signer != null) {
        signer.close();
      }
      directory.close();
      return null;
    }));
  }
}
