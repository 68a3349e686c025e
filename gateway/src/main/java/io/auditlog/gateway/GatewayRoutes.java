package io.auditlog.gateway;

import io.auditlog.gateway.accounts.AccessKeyAuthenticator;
import io.auditlog.gateway.accounts.AccessKeys;
import io.auditlog.gateway.accounts.AccountMail;
import io.auditlog.gateway.accounts.AccountRepository;
import io.auditlog.gateway.accounts.AccountRoutes;
import io.auditlog.gateway.accounts.AdminBootstrap;
import io.auditlog.gateway.accounts.ApiTokens;
import io.auditlog.gateway.accounts.BearerAuth;
import io.auditlog.gateway.accounts.ConsoleAuth;
import io.auditlog.gateway.accounts.DevLinks;
import io.auditlog.gateway.accounts.LoginThrottle;
import io.auditlog.gateway.accounts.MailThrottle;
import io.auditlog.gateway.accounts.OneTimeKeys;
import io.auditlog.gateway.accounts.PasswordHasher;
import io.auditlog.gateway.accounts.PasswordLogin;
import io.auditlog.gateway.accounts.PasswordRoutes;
import io.auditlog.gateway.accounts.SensorAuth;
import io.auditlog.gateway.accounts.SignupRoutes;
import io.auditlog.gateway.accounts.SmtpMail;
import io.auditlog.gateway.accounts.TokenRoutes;
import io.auditlog.gateway.accounts.UserTokens;
import io.auditlog.gateway.accounts.VerifiedPasswords;
import io.auditlog.gateway.console.ConsoleRoutes;
import io.auditlog.gateway.health.IngestionMonitor;
import io.auditlog.gateway.ingest.EventPublisher;
import io.auditlog.gateway.ingest.IdempotencyKeys;
import io.auditlog.gateway.ingest.IngestRoutes;
import io.auditlog.gateway.ingest.KafkaAdmin;
import io.auditlog.gateway.ingest.KafkaTopics;
import io.auditlog.gateway.ingest.ReceiverRoutes;
import io.auditlog.gateway.ingest.Stamping;
import io.auditlog.gateway.limits.AttemptLimits;
import io.auditlog.gateway.limits.BodyBudget;
import io.auditlog.gateway.limits.BudgetedBodies;
import io.auditlog.gateway.limits.LargeBodyThreads;
import io.auditlog.gateway.producers.KafkaCredentials;
import io.auditlog.gateway.producers.ProducerCredentialRoutes;
import io.auditlog.gateway.producers.ProducerCredentials;
import io.auditlog.gateway.producers.ProducerPrincipals;
import io.auditlog.gateway.queries.QueryProxy;
import io.auditlog.gateway.storage.InfluxAdmin;
import io.auditlog.gateway.storage.InstanceClaim;
import io.auditlog.model.EventStamper;
import io.auditlog.store.InfluxProvisioning;
import io.auditlog.store.read.TenantWorkers;
import io.auditlog.model.TenantInfluxUsers;
import io.auditlog.web.FailureHandler;
import io.auditlog.web.HealthHandler;
import io.auditlog.web.InternalTokens;
import io.auditlog.web.RequestIds;
import io.auditlog.web.RequestTargets;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The gateway's components, built once from its clients and shared by every event loop (each is thread-safe: final
 * references, Caffeine caches, PostgreSQL and Kafka clients, a synchronized stamper), and the routes that each event
 * loop's own {@link Router} mounts over them. Building also creates the admin account.
 */
final class GatewayRoutes {

  /** Connections to the query-service in each of the two pools (requests; listings and exports). */
  private static final int QUERY_CONNECTIONS = 32;

  private final Vertx vertx;
  private final List<Consumer<Router>> mounts;

  private GatewayRoutes(Vertx vertx, List<Consumer<Router>> mounts) {
    this.vertx = vertx;
    this.mounts = mounts;
  }

  static Future<GatewayRoutes> build(Vertx vertx, GatewayConfig config, Pool pool, KafkaAdmin kafkaAdmin,
      EventPublisher publisher, InstanceClaim claim, IngestionMonitor ingestion, MeterRegistry registry) {
    WebClient http = WebClient.create(vertx);
    GatewayConfig.InfluxAccess influxAccess = config.influx();
    InfluxAdmin influx = new InfluxAdmin(http, config.influxUrl(), influxAccess.admin(),
        new InfluxProvisioning(influxAccess.writer(), new TenantInfluxUsers(influxAccess.tenantSecret())));
    AccountRepository accounts = new AccountRepository(pool);
    PasswordHasher hasher = new PasswordHasher(vertx);
    AccessKeys keys = new AccessKeys(config.secrets().accessKeys());
    UserTokens userTokens = new UserTokens(vertx, config.secrets().jwt(), config.accounts().tokenLifetime());
    BearerAuth bearer = new BearerAuth(userTokens, accounts);
    OneTimeKeys oneTimeKeys = new OneTimeKeys(pool, config.accounts().keyTtl());
    AccountMail mail = config.mailMode() == GatewayConfig.MailMode.DEV
        ? new DevLinks() : new SmtpMail(vertx, config.smtp());
    GatewayConfig.AccountPolicy policy = config.accounts();
    AttemptLimits attempts = new AttemptLimits(pool);
    vertx.setPeriodic(Duration.ofMinutes(10).toMillis(), id -> attempts.purge());
    LoginThrottle throttle = new LoginThrottle(attempts, policy.maxFailuresPerUser(), policy.maxFailuresPerAddress(),
        policy.failureWindow());
    MailThrottle mailThrottle = new MailThrottle(attempts, policy.maxMailsPerEmail(), policy.maxMailsPerAddress(),
        policy.mailWindow());
    SignupRoutes signup = new SignupRoutes(accounts, hasher, keys, oneTimeKeys, mail, mailThrottle, influx,
        config.publicUrl());
    ApiTokens apiTokens = new ApiTokens(pool, config.accounts().apiTokensPerAccount());
    AccessKeyAuthenticator authenticator = new AccessKeyAuthenticator(accounts, keys, config.accessKeyCacheTtl());
    PasswordLogin passwords = new PasswordLogin(accounts, hasher, throttle,
        new VerifiedPasswords(policy.verifiedPasswordTtl()));
    // A publish ends within its timeout and one second (EventPublisher); the lease leaves room beyond that.
    IdempotencyKeys idempotencyKeys = new IdempotencyKeys(pool, Duration.ofHours(24),
        config.publishTimeout().plusSeconds(5));
    vertx.setPeriodic(Duration.ofMinutes(10).toMillis(), id -> idempotencyKeys.purge());
    // One stamper for the whole process: the instance number's slot is handed out in one place.
    Stamping stamping = new Stamping(new EventStamper(Clock.systemUTC(), claim.number()), claim::held);
    BodyBudget budget = new BodyBudget(config.bodies().budgetBytes());
    TenantWorkers largeBodies = LargeBodyThreads.create(vertx, config.bodies().timeout());
    ReceiverRoutes receiver = new ReceiverRoutes(vertx, budget, config.bodies().timeout(), largeBodies,
        new SensorAuth(apiTokens, accounts, throttle, config.modsec().bareAuth(), registry), config.modsec(),
        stamping, idempotencyKeys, publisher, registry);
    // A listing holds its connection while it streams: listings and exports have a pool of their own, and both
    // room for more than the client's default five at once.
    QueryProxy queries = new QueryProxy(QueryProxy.Upstream.of(vertx, QUERY_CONNECTIONS),
        QueryProxy.Upstream.of(vertx, QUERY_CONNECTIONS), config.queryServiceUrl(),
        new InternalTokens(vertx, config.secrets().internal()), bearer,
        new ConsoleAuth(apiTokens, accounts, passwords, bearer));

    KafkaTopics topics = new KafkaTopics(kafkaAdmin);
    ProducerCredentials producerCredentials = new ProducerCredentials(new KafkaCredentials(pool),
        new ProducerPrincipals(kafkaAdmin), config.kafka().credentialsPerAccount());

    List<Consumer<Router>> mounts = List.of(
        router -> router.route().handler(new RequestIds()),
        router -> router.route().handler(new RequestTargets()),
        // The receiver reads its own bodies, bounded and streamed: before the body handler.
        receiver::mount,
        router -> router.route().handler(new BudgetedBodies(budget, config.bodies().limitBytes(),
            config.bodies().timeout())),
        router -> router.get("/health").handler(new HealthHandler("auditlog-gateway")
            .check("kafka", topics::ping)
            .check("postgres", accounts::ping)
            .check("influxdb", influx::ping)
            .check("instance", () -> claim.held() ? Future.succeededFuture()
                : Future.failedFuture("instance number " + claim.number() + " not locked"))
            .report("ingestion", ingestion::report)),
        DocsRoutes::mount,
        new ConsoleRoutes()::mount,
        signup::mount,
        new PasswordRoutes(accounts, hasher, passwords, oneTimeKeys, mail, mailThrottle, bearer, signup,
            config.publicUrl())::mount,
        new TokenRoutes(apiTokens, bearer)::mount,
        new ProducerCredentialRoutes(producerCredentials, bearer, config.kafka())::mount,
        new AccountRoutes(accounts, passwords, userTokens, keys, bearer, authenticator)::mount,
        new IngestRoutes(largeBodies, budget, authenticator, publisher, idempotencyKeys, config.batchLimit(),
            stamping)::mount,
        queries::mount,
        FailureHandler::install);
    return new AdminBootstrap(accounts, hasher, keys)
        .ensureAdmin(policy.adminEmail(), policy.adminPassword())
        // Every start provisions every active tenant again: an installation from before per-tenant users gets them.
        .compose(admin -> accounts.activeTenants())
        .compose(influx::provisionTenants)
        .map(provisioned -> new GatewayRoutes(vertx, mounts));
  }

  /** A new router with every route mounted, for one event loop's HTTP server. */
  Router router() {
    Router router = Router.router(vertx);
    mounts.forEach(mount -> mount.accept(router));
    return router;
  }
}
