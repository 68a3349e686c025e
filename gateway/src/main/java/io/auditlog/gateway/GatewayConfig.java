package io.auditlog.gateway;

import io.auditlog.gateway.accounts.PasswordPolicy;
import io.auditlog.gateway.accounts.SmtpMail.MailSettings;
import io.auditlog.gateway.health.IngestionVerdict.Thresholds;
import io.auditlog.gateway.limits.BodyBudget;
import io.auditlog.gateway.storage.ClaimTiming;
import io.auditlog.model.EventStamper;
import io.auditlog.model.KafkaLogin;
import io.auditlog.model.InfluxCredential;
import io.auditlog.model.Topics;
import io.auditlog.web.Settings;
import io.vertx.ext.mail.StartTLSOptions;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.OptionalInt;

/**
 * Everything the gateway reads from its environment, read once at start-up. The table of variables, defaults and
 * meanings is in gateway/README.md. Settings that are safe only on one person's machine stop start-up with the reason:
 * dev mail mode and a weak admin password unless explicitly allowed, a missing admin password, and secrets that are
 * placeholders or too short to hold 256 bits of randomness (web-common's {@code SecretStrength}).
 */
public record GatewayConfig(
    String host,
    int port,
    int eventLoops,
    MetricsListener metrics,
    Duration idleTimeout,
    String publicUrl,
    String kafkaBootstrap,
    String topic,
    int topicPartitions,
    Duration publishTimeout,
    String kafkaCompression,
    KafkaAccess kafka,
    String pgHost,
    int pgPort,
    String pgDatabase,
    String pgUser,
    String pgPassword,
    boolean pgMigrate,
    String influxUrl,
    InfluxAccess influx,
    String queryServiceUrl,
    Secrets secrets,
    AccountPolicy accounts,
    MailMode mailMode,
    MailSettings smtp,
    Bodies bodies,
    Connections connections,
    int batchLimit,
    Duration accessKeyCacheTtl,
    OptionalInt instance,
    ClaimTiming instanceTiming,
    IngestionHealth ingestionHealth,
    ModsecIntake modsec) {

  /**
   * The ModSecurity audit-log receiver: the bare-base64 credentials of old collectors, the environment and category
   * of entries that name none, how long resends are recognised, the parser's limits, the mapping options and the
   * limits of a back-fill.
   */
  public record ModsecIntake(boolean bareAuth, String environment, String category, Duration dedupRetention,
      int maxEntryBytes, int maxMessages, boolean eventNameIsTransaction, ZoneId sensorZone, BulkLimits bulk) {
  }

  /**
   * A back-fill's limits: its bytes and entries, the worker threads that read back-fills (each reading one at a
   * time), how long its body may pause, and how long it may take in all.
   */
  public record BulkLimits(int maxBytes, int maxEntries, int threads, Duration idle, Duration duration) {
  }

  /** {@code message} (the rule message) or {@code transaction}, for AUDIT_MODSEC_EVENT_NAME. */
  private enum ModsecEventName { MESSAGE, TRANSACTION }

  private static ModsecIntake modsec(Settings s) {
    String zone = s.text("AUDIT_MODSEC_SENSOR_ZONE", "UTC");
    ZoneId sensorZone;
    try {
      sensorZone = ZoneId.of(zone);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("AUDIT_MODSEC_SENSOR_ZONE must be a time zone such as UTC or Europe/Berlin");
    }
    return new ModsecIntake(
        bareAuth(s),
        s.text("AUDIT_MODSEC_ENVIRONMENT", "production"),
        s.text("AUDIT_MODSEC_CATEGORY", "modsecurity"),
        s.duration("AUDIT_MODSEC_DEDUP_RETENTION", Duration.ofDays(7)),
        s.integer("AUDIT_MODSEC_MAX_ENTRY_BYTES", 16 * 1024 * 1024, 1024, 64 * 1024 * 1024),
        s.integer("AUDIT_MODSEC_MAX_MESSAGES", 100, 1, 10_000),
        s.choice("AUDIT_MODSEC_EVENT_NAME", ModsecEventName.MESSAGE) == ModsecEventName.TRANSACTION,
        sensorZone,
        new BulkLimits(
            s.integer("AUDIT_MODSEC_BULK_MAX_BYTES", 256 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
            s.integer("AUDIT_MODSEC_BULK_MAX_ENTRIES", 100_000, 1, 1_000_000),
            s.integer("AUDIT_MODSEC_BULK_THREADS", 4, 1, 64),
            s.duration("AUDIT_MODSEC_BULK_IDLE_TIMEOUT", Duration.ofSeconds(20)),
            s.duration("AUDIT_MODSEC_BULK_TIMEOUT", Duration.ofMinutes(10))));
  }

  /** On unless set to false; anything but true or false is refused. */
  private static boolean bareAuth(Settings s) {
    return s.text("AUDIT_MODSEC_BARE_AUTH", "").isBlank() || s.flag("AUDIT_MODSEC_BARE_AUTH");
  }

  /** What {@code /health} watches of ingestion: the workers' consumer group, and when to call it degraded or down. */
  /**
   * Request bodies: the largest one ({@code AUDIT_BODY_LIMIT}), the most bytes of bodies held at once, an eighth of
   * them per client address ({@code AUDIT_BODY_BUDGET}), and how long a body may take to arrive
   * ({@code AUDIT_BODY_TIMEOUT}).
   */
  public record Bodies(int limitBytes, long budgetBytes, Duration timeout) {
  }

  /**
   * The client connections kept open at once: in all ({@code AUDIT_MAX_CONNECTIONS}) and per client address
   * ({@code AUDIT_MAX_CONNECTIONS_PER_ADDRESS}).
   */
  public record Connections(int max, int perAddress) {
  }

  public record IngestionHealth(String workerGroup, Thresholds thresholds) {
  }

  /** Where {@code GET /metrics} is served: never on the public port; port 0 serves it nowhere. */
  public record MetricsListener(String host, int port) {
  }

  /** How activation and reset links reach the user. */
  public enum MailMode { DEV, SMTP }

  /**
   * The gateway's own Kafka login (writes the events topic), the admin login used only for provisioning (topics, and
   * direct producers' users and ACLs), and what a direct producer is told to connect to.
   */
  public record KafkaAccess(KafkaLogin service, KafkaLogin admin, String producerBootstrap,
      String producerProtocol, int credentialsPerAccount) {
  }

  /**
   * InfluxDB's admin (used only to provision tenants), the ingest workers' writer (created and granted WRITE on each
   * tenant database here) and the secret from which each tenant's reader and deleter passwords are derived.
   */
  public record InfluxAccess(InfluxCredential admin, InfluxCredential writer, String tenantSecret) {

    @Override
    public String toString() {
      return "InfluxAccess[admin=" + admin + ", writer=" + writer + ", tenantSecret=(hidden)]";
    }
  }

  /** Signing and sealing secrets, each holding at least 256 bits of randomness. */
  public record Secrets(String jwt, String internal, String accessKeys) {
  }

  /**
   * The admin created at first start, token lifetime, key lifetime, login throttling and the limits of the requests
   * that send account mail.
   */
  public record AccountPolicy(String adminEmail, String adminPassword, Duration tokenLifetime, Duration keyTtl,
      int maxFailuresPerUser, int maxFailuresPerAddress, Duration failureWindow, Duration verifiedPasswordTtl,
      int maxMailsPerEmail, int maxMailsPerAddress, Duration mailWindow, int apiTokensPerAccount) {
  }

  private static String compression(String codec) {
    if (!List.of("none", "gzip", "snappy", "lz4", "zstd").contains(codec)) {
      throw new IllegalArgumentException("AUDIT_KAFKA_COMPRESSION must be none, gzip, snappy, lz4 or zstd");
    }
    return codec;
  }

  /** Dev mode hands reset links to anyone who asks: only where it is allowed on purpose. */
  private static MailMode mailMode(Settings s) {
    MailMode mode = s.choice("AUDIT_MAIL_MODE", MailMode.SMTP);
    if (mode == MailMode.DEV && !s.flag("AUDIT_ALLOW_DEV_MAIL")) {
      throw new IllegalArgumentException("AUDIT_MAIL_MODE=dev returns password-reset links to anyone who asks: "
          + "use smtp, or set AUDIT_ALLOW_DEV_MAIL=true on a machine only you can reach");
    }
    return mode;
  }

  /** Required, and not guessable unless a weak one is allowed on purpose. */
  private static String adminPassword(Settings s) {
    String password = s.text("AUDIT_ADMIN_PASSWORD", "");
    if (password.isEmpty()) {
      throw new IllegalArgumentException("AUDIT_ADMIN_PASSWORD must be set (the admin account's password)");
    }
    if (!s.flag("AUDIT_ALLOW_WEAK_ADMIN_PASSWORD")) {
      PasswordPolicy.adminProblem(password).ifPresent(problem -> {
        throw new IllegalArgumentException("AUDIT_ADMIN_PASSWORD " + problem
            + " (or set AUDIT_ALLOW_WEAK_ADMIN_PASSWORD=true on a machine only you can reach)");
      });
    }
    return password;
  }

  /** A Kafka login whose password is judged as a secret. */
  private static KafkaLogin kafkaLogin(Settings s, String prefix, String defaultUser) {
    s.randomSecret(prefix + "_PASSWORD");
    return s.kafkaLogin(prefix, defaultUser);
  }

  private static Duration idleTimeout(Settings s) {
    Duration idle = s.duration("AUDIT_HTTP_IDLE_TIMEOUT", Duration.ofSeconds(60));
    if (idle.compareTo(Duration.ofSeconds(1)) < 0 || idle.compareTo(Duration.ofMinutes(15)) > 0) {
      throw new IllegalArgumentException("AUDIT_HTTP_IDLE_TIMEOUT must be from 1s to 15m");
    }
    return idle;
  }

  public static GatewayConfig from(Settings s) {
    int port = s.port("AUDIT_PORT", 8000);
    ModsecIntake modsec = modsec(s);
    return new GatewayConfig(
        s.text("AUDIT_HOST", "127.0.0.1"),
        port,
        s.integer("AUDIT_EVENT_LOOPS", Runtime.getRuntime().availableProcessors(), 1, 256),
        new MetricsListener(s.text("AUDIT_METRICS_HOST", "127.0.0.1"), s.port("AUDIT_METRICS_PORT", 0)),
        idleTimeout(s),
        s.text("AUDIT_PUBLIC_URL", "http://127.0.0.1:" + port),
        s.text("AUDIT_KAFKA_BOOTSTRAP", "127.0.0.1:9092"),
        s.text("AUDIT_TOPIC", Topics.EVENTS),
        s.integer("AUDIT_TOPIC_PARTITIONS", 12, 1, 1000),
        s.duration("AUDIT_PUBLISH_TIMEOUT", Duration.ofSeconds(4)),
        compression(s.text("AUDIT_KAFKA_COMPRESSION", "none")),
        new KafkaAccess(
            kafkaLogin(s, "AUDIT_KAFKA", "auditlog-gateway"),
            kafkaLogin(s, "AUDIT_KAFKA_ADMIN", "auditlog-operator"),
            s.text("AUDIT_KAFKA_PRODUCER_BOOTSTRAP", s.text("AUDIT_KAFKA_BOOTSTRAP", "127.0.0.1:9092")),
            s.text("AUDIT_KAFKA_PRODUCER_PROTOCOL", "SASL_PLAINTEXT"),
            s.integer("AUDIT_KAFKA_CREDENTIALS_PER_ACCOUNT", 10, 1, 1000)),
        s.text("AUDIT_PG_HOST", "127.0.0.1"),
        s.port("AUDIT_PG_PORT", 5432),
        s.text("AUDIT_PG_DATABASE", "auditlog"),
        s.text("AUDIT_PG_USER", "auditlog"),
        s.randomSecret("AUDIT_PG_PASSWORD"),
        s.on("AUDIT_PG_MIGRATE", true),
        s.text("AUDIT_INFLUX_URL", "http://127.0.0.1:8086"),
        new InfluxAccess(
            new InfluxCredential(s.text("AUDIT_INFLUX_ADMIN_USER", "admin"),
                s.randomSecret("AUDIT_INFLUX_ADMIN_PASSWORD")),
            new InfluxCredential(s.text("AUDIT_INFLUX_WRITER_USER", "audit_writer"),
                s.randomSecret("AUDIT_INFLUX_WRITER_PASSWORD")),
            s.randomSecret("AUDIT_INFLUX_TENANT_SECRET")),
        s.text("AUDIT_QUERY_URL", "http://127.0.0.1:8081"),
        new Secrets(s.randomSecret("AUDIT_JWT_SECRET"), s.randomSecret("AUDIT_INTERNAL_SECRET"),
            s.randomSecret("AUDIT_KEY_SECRET")),
        new AccountPolicy(
            s.text("AUDIT_ADMIN_EMAIL", "admin@example.com"),
            adminPassword(s),
            s.duration("AUDIT_TOKEN_LIFETIME", Duration.ofMinutes(60)),
            s.duration("AUDIT_KEY_TTL", Duration.ofSeconds(60)),
            s.integer("AUDIT_LOGIN_MAX_FAILURES_USER", 10, 1, 1_000_000),
            s.integer("AUDIT_LOGIN_MAX_FAILURES_ADDRESS", 50, 1, 1_000_000),
            s.duration("AUDIT_LOGIN_WINDOW", Duration.ofMinutes(5)),
            s.duration("AUDIT_VERIFIED_PASSWORD_TTL", Duration.ofMinutes(5)),
            s.integer("AUDIT_MAIL_MAX_PER_EMAIL", 5, 1, 1_000_000),
            s.integer("AUDIT_MAIL_MAX_PER_ADDRESS", 20, 1, 1_000_000),
            s.duration("AUDIT_MAIL_WINDOW", Duration.ofHours(1)),
            s.integer("AUDIT_API_TOKENS_PER_ACCOUNT", 100, 1, 100_000)),
        mailMode(s),
        new MailSettings(
            s.text("AUDIT_SMTP_HOST", "127.0.0.1"),
            s.port("AUDIT_SMTP_PORT", 25),
            s.text("AUDIT_SMTP_USER", ""),
            s.text("AUDIT_SMTP_PASSWORD", ""),
            s.text("AUDIT_SMTP_FROM", "auditlog@localhost"),
            s.choice("AUDIT_SMTP_STARTTLS", StartTLSOptions.REQUIRED)),
        bodies(s, modsec.maxEntryBytes()),
        new Connections(s.integer("AUDIT_MAX_CONNECTIONS", 10_000, 1, 1_000_000),
            s.integer("AUDIT_MAX_CONNECTIONS_PER_ADDRESS", 1_000, 1, 1_000_000)),
        s.integer("AUDIT_BATCH_LIMIT", 1000, 1, EventStamper.SLOT),
        s.duration("AUDIT_ACCESS_KEY_CACHE_TTL", Duration.ofSeconds(5)),
        s.optionalInteger("AUDIT_INSTANCE_ID", 0, EventStamper.INSTANCES - 1),
        new ClaimTiming(s.duration("AUDIT_INSTANCE_HEARTBEAT", Duration.ofSeconds(5)),
            s.duration("AUDIT_INSTANCE_LEASE", Duration.ofSeconds(30))),
        new IngestionHealth(
            s.text("AUDIT_GROUP_ID", "auditlog-ingest"),
            new Thresholds(
                s.duration("AUDIT_HEALTH_SAMPLE_INTERVAL", Duration.ofSeconds(2)),
                s.duration("AUDIT_HEALTH_LAG_WINDOW", Duration.ofSeconds(30)),
                s.duration("AUDIT_HEALTH_MAX_UNSTORED_AGE", Duration.ofSeconds(60)))),
        modsec);
  }

  private static Bodies bodies(Settings s, int maxEntryBytes) {
    int limit = s.integer("AUDIT_BODY_LIMIT", 1024 * 1024, 1024, 64 * 1024 * 1024);
    long budget = s.integer("AUDIT_BODY_BUDGET", 128 * 1024 * 1024, 4 * 1024, Integer.MAX_VALUE);
    if (budget / BodyBudget.ADDRESS_SHARES < Math.max(limit, maxEntryBytes)) {
      throw new IllegalArgumentException("AUDIT_BODY_BUDGET must be at least " + BodyBudget.ADDRESS_SHARES
          + " times the larger of AUDIT_BODY_LIMIT and AUDIT_MODSEC_MAX_ENTRY_BYTES (a client address may hold "
          + "1/" + BodyBudget.ADDRESS_SHARES + " of it)");
    }
    return new Bodies(limit, budget, s.duration("AUDIT_BODY_TIMEOUT", Duration.ofSeconds(30)));
  }
}
