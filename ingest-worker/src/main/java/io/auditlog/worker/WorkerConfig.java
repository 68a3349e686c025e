package io.auditlog.worker;

import io.auditlog.model.EventStamper;
import io.auditlog.model.KafkaLogin;
import io.auditlog.model.InfluxCredential;
import io.auditlog.model.Topics;
import io.auditlog.tlog.PgLogin;
import io.auditlog.web.Settings;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The ingest worker's configuration, read once from the environment (table in ingest-worker/README.md). */
public record WorkerConfig(
    String host,
    int port,
    String kafkaBootstrap,
    KafkaLogin kafkaLogin,
    String topic,
    String ingressTopic,
    String deadLetterTopic,
    String groupId,
    String influxUrl,
    InfluxCredential influxWriter,
    int batchSize,
    int batchBytes,
    Duration batchLinger,
    int writers,
    int batchesInFlight,
    Duration influxTimeout,
    Duration maxBackoff,
    Duration sessionTimeout,
    Accounts accounts,
    History history,
    PausePoint.Point pauseAt) {

  /**
   * Where direct producers' access keys are looked up, and for how long an answer is remembered; how long a statement
   * of the consumer's and the writers' threads may take.
   */
  public record Accounts(String jdbcUrl, String user, String password, Duration cacheTtl, int batchLimit,
      Duration statementTimeout, boolean migrate) {

    /** Where and as whom the worker reaches the accounts database (migrations, keys, the checkpoint signer). */
    public PgLogin login() {
      return new PgLogin(jdbcUrl, user, password);
    }

    /**
     * As {@link #login()}, for the sessions of the consumer's and the writers' threads, none of which may wait without
     * end: a statement is cancelled after {@link #statementTimeout}; a transaction left idle (its worker stalled with
     * a tree's row locked) is ended after twice that, which releases its locks for the members still working; and a
     * read of an answer waits at most three times that, for a server that stopped answering. Each is a failure the
     * thread retries, polling meanwhile, as when the database is down.
     */
    public PgLogin sessionLogin() {
      long millis = statementTimeout.toMillis();
      String options = "-c statement_timeout=" + millis + " -c idle_in_transaction_session_timeout=" + 2 * millis;
      long socketSeconds = Math.max(1, (3 * millis + 999) / 1000);
      return new PgLogin(jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "options="
          + URLEncoder.encode(options, StandardCharsets.UTF_8) + "&socketTimeout=" + socketSeconds, user, password);
    }
  }

  /**
   * The verifiable history: on or off ({@code AUDIT_TLOG}), the host its trees' origins name, the secret its keys
   * are sealed under (required when on), how often and for how long checkpoints are signed and kept, and for how
   * long the leaves of events published under an idempotency key are remembered (longer than the gateway keeps keys).
   */
  public record History(boolean on, String publicHost, String secret, Duration checkpointInterval,
      Duration checkpointRetention, Duration republishedRetention) {

    @Override
    public String toString() {
      return "History[on=" + on + ", publicHost=" + publicHost + "]";
    }
  }

  public static WorkerConfig from(Settings s) {
    boolean history = s.on("AUDIT_TLOG", true);
    PgLogin pg = pgLogin(s);
    return new WorkerConfig(
        s.text("AUDIT_WORKER_HOST", "127.0.0.1"),
        s.port("AUDIT_WORKER_PORT", 8082),
        s.text("AUDIT_KAFKA_BOOTSTRAP", "127.0.0.1:9092"),
        s.kafkaLogin("AUDIT_KAFKA", "auditlog-ingest"),
        s.text("AUDIT_TOPIC", Topics.EVENTS),
        differentFrom(s.text("AUDIT_TOPIC", Topics.EVENTS), "AUDIT_INGRESS_TOPIC",
            s.text("AUDIT_INGRESS_TOPIC", Topics.INGRESS)),
        s.text("AUDIT_DLQ_TOPIC", Topics.DEAD_LETTERS),
        s.text("AUDIT_GROUP_ID", "auditlog-ingest"),
        s.text("AUDIT_INFLUX_URL", "http://127.0.0.1:8086"),
        new InfluxCredential(s.text("AUDIT_INFLUX_WRITER_USER", "audit_writer"),
            s.secret("AUDIT_INFLUX_WRITER_PASSWORD")),
        s.integer("AUDIT_BATCH_SIZE", 5000, 1, 100_000),
        s.integer("AUDIT_BATCH_BYTES", 4 * 1024 * 1024, 64 * 1024, 256 * 1024 * 1024),
        s.duration("AUDIT_BATCH_LINGER", Duration.ofMillis(200)),
        s.integer("AUDIT_WRITERS", 2, 1, 64),
        s.integer("AUDIT_BATCHES_IN_FLIGHT", 4, 1, 64),
        s.duration("AUDIT_INFLUX_TIMEOUT", Duration.ofSeconds(10)),
        s.duration("AUDIT_MAX_BACKOFF", Duration.ofSeconds(5)),
        s.duration("AUDIT_KAFKA_SESSION_TIMEOUT", Duration.ofSeconds(10)),
        new Accounts(
            pg.jdbcUrl(), pg.user(), pg.password(),
            s.duration("AUDIT_ACCESS_KEY_CACHE_TTL", Duration.ofSeconds(5)),
            s.integer("AUDIT_BATCH_LIMIT", 1000, 1, EventStamper.SLOT),
            atLeastOneSecond("AUDIT_PG_STATEMENT_TIMEOUT",
                s.duration("AUDIT_PG_STATEMENT_TIMEOUT", Duration.ofSeconds(30))),
            s.on("AUDIT_PG_MIGRATE", true)),
        new History(history, s.text("AUDIT_PUBLIC_HOST", "localhost"),
            history ? s.randomSecret("AUDIT_TLOG_SECRET") : "",
            atLeastOneSecond("AUDIT_CHECKPOINT_INTERVAL",
                s.duration("AUDIT_CHECKPOINT_INTERVAL", Duration.ofSeconds(1))),
            s.duration("AUDIT_CHECKPOINT_RETENTION", Duration.ofDays(7)),
            s.duration("AUDIT_REPUBLISHED_RETENTION", Duration.ofDays(30))),
        s.choice("AUDIT_TEST_PAUSE_AT", PausePoint.Point.NONE));
  }

  /** Where and as whom: {@code AUDIT_PG_HOST}, {@code _PORT}, {@code _DATABASE}, {@code _USER}, {@code _PASSWORD}. */
  static PgLogin pgLogin(Settings s) {
    return new PgLogin("jdbc:postgresql://" + s.text("AUDIT_PG_HOST", "127.0.0.1") + ":" + s.port("AUDIT_PG_PORT", 5432)
        + "/" + s.text("AUDIT_PG_DATABASE", "auditlog"), s.text("AUDIT_PG_USER", "auditlog"),
        s.text("AUDIT_PG_PASSWORD", ""));
  }

  /** The ingress topic is read apart from the events topic (and let go of alone: see {@code IngestLoop}). */
  private static String differentFrom(String eventsTopic, String name, String value) {
    if (value.equals(eventsTopic)) {
      throw new IllegalArgumentException(name + " must differ from AUDIT_TOPIC");
    }
    return value;
  }

  private static Duration atLeastOneSecond(String name, Duration value) {
    if (value.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException(name + " must be at least 1s");
    }
    return value;
  }
}
