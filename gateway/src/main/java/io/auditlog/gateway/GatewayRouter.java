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
import io.auditlog.gateway.accounts.OneTimeKeys;
import io.auditlog.gateway.accounts.PasswordHasher;
import io.auditlog.gateway.accounts.PasswordLogin;
import io.auditlog.gateway.accounts.PasswordRoutes;
import io.auditlog.gateway.accounts.SignupRoutes;
import io.auditlog.gateway.accounts.SmtpMail;
import io.auditlog.gateway.accounts.TokenRoutes;
import io.auditlog.gateway.accounts.UserTokens;
import io.auditlog.gateway.accounts.VerifiedPasswords;
import io.auditlog.gateway.ingest.EventPublisher;
import io.auditlog.gateway.ingest.IdempotencyKeys;
import io.auditlog.gateway.ingest.IngestRoutes;
import io.auditlog.gateway.ingest.KafkaTopics;
import io.auditlog.gateway.queries.QueryProxy;
import io.auditlog.gateway.storage.InfluxAdmin;
import io.auditlog.gateway.storage.InstanceClaim;
import io.auditlog.model.EventStamper;
import io.auditlog.web.FailureHandler;
import io.auditlog.web.HealthHandler;
import io.auditlog.web.InternalTokens;
import io.auditlog.web.RequestIds;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;

/** Builds the gateway's components from its clients and mounts every route; also creates the admin account. */
final class GatewayRouter {

  private GatewayRouter() {
  }

  static Future<Router> create(Vertx vertx, GatewayConfig config, Pool pool, KafkaTopics topics,
      EventPublisher publisher, InstanceClaim claim) {
    WebClient http = WebClient.create(vertx);
    InfluxAdmin influx = new InfluxAdmin(http, config.influxUrl());
    AccountRepository accounts = new AccountRepository(pool);
    PasswordHasher hasher = new PasswordHasher(vertx);
    AccessKeys keys = new AccessKeys(config.secrets().accessKeys());
    UserTokens userTokens = new UserTokens(vertx, config.secrets().jwt(), config.accounts().tokenLifetime());
    BearerAuth bearer = new BearerAuth(userTokens, accounts);
    OneTimeKeys oneTimeKeys = new OneTimeKeys(pool, config.accounts().keyTtl());
    AccountMail mail = config.mailMode() == GatewayConfig.MailMode.DEV
        ? new DevLinks() : new SmtpMail(vertx, config.smtp());
    GatewayConfig.AccountPolicy policy = config.accounts();
    LoginThrottle throttle = new LoginThrottle(pool, policy.maxFailuresPerUser(), policy.maxFailuresPerAddress(),
        policy.failureWindow());

    Router router = Router.router(vertx);
    router.route().handler(new RequestIds());
    router.route().handler(BodyHandler.create(false).setBodyLimit(config.bodyLimitBytes()));
    router.get("/health").handler(new HealthHandler("auditlog-gateway")
        .check("kafka", topics::ping)
        .check("postgres", accounts::ping)
        .check("influxdb", influx::ping)
        .check("instance", () -> claim.held() ? Future.succeededFuture()
            : Future.failedFuture("instance number " + claim.number() + " not locked")));
    DocsRoutes.mount(router);
    SignupRoutes signup = new SignupRoutes(accounts, hasher, keys, oneTimeKeys, mail, influx, config.publicUrl());
    signup.mount(router);
    new PasswordRoutes(accounts, hasher, oneTimeKeys, mail, bearer, signup, config.publicUrl()).mount(router);
    ApiTokens apiTokens = new ApiTokens(pool);
    new TokenRoutes(apiTokens, bearer).mount(router);
    AccessKeyAuthenticator authenticator = new AccessKeyAuthenticator(accounts, keys, config.accessKeyCacheTtl());
    PasswordLogin passwords = new PasswordLogin(accounts, hasher, throttle,
        new VerifiedPasswords(policy.verifiedPasswordTtl()));
    new AccountRoutes(accounts, passwords, userTokens, keys, bearer, authenticator).mount(router);
    IdempotencyKeys idempotencyKeys = new IdempotencyKeys(pool, Duration.ofHours(24));
    vertx.setPeriodic(Duration.ofMinutes(10).toMillis(), id -> idempotencyKeys.purge());
    new IngestRoutes(authenticator, publisher, idempotencyKeys, config.batchLimit(),
        new EventStamper(Clock.systemUTC(), claim.number()), claim::held).mount(router);
    // A listing holds its connection while it streams: room for more than the client's default five at once.
    HttpClient queryService = vertx.createHttpClient(new PoolOptions().setHttp1MaxSize(32));
    new QueryProxy(queryService, config.queryServiceUrl(), new InternalTokens(vertx, config.secrets().internal()),
        bearer, new ConsoleAuth(apiTokens, accounts, passwords, bearer)).mount(router);
    FailureHandler.install(router);
    return new AdminBootstrap(accounts, hasher, keys, influx)
        .ensureAdmin(policy.adminEmail(), policy.adminPassword())
        .map(router);
  }
}
