package io.auditlog.query.history;

import io.auditlog.tlog.Erasures;
import io.auditlog.web.Settings;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Duration;

/**
 * Whether the verifiable history is served ({@code AUDIT_TLOG}, default on), the PostgreSQL database that holds it
 * ({@code AUDIT_PG_*}), and how long events are kept ({@code AUDIT_RETENTION}: zero, the default, keeps them until
 * deleted; else at least an hour) with how often the retention job runs ({@code AUDIT_RETENTION_INTERVAL}, 1 h).
 */
public record HistorySettings(boolean on, String pgHost, int pgPort, String pgDatabase, String pgUser,
    String pgPassword, Duration retention, Duration retentionInterval) {

  public HistorySettings {
    // The shortest retention there is: the job's cutoff is truncated to the hour.
    if (!retention.isZero() && retention.compareTo(Erasures.MIN_RETENTION) < 0) {
      throw new IllegalArgumentException("AUDIT_RETENTION must be 0 (keep events) or at least 1h, not " + retention);
    }
    if (retentionInterval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("AUDIT_RETENTION_INTERVAL must be at least 1s, not " + retentionInterval);
    }
  }

  /** A pool of {@code size} connections to PostgreSQL that connects on first use (so the service starts first). */
  public Pool pgPool(Vertx vertx, String name, int size) {
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(size).setName(name))
        .connectingTo(new PgConnectOptions().setHost(pgHost).setPort(pgPort).setDatabase(pgDatabase).setUser(pgUser)
            .setPassword(pgPassword))
        .using(vertx)
        .build();
  }

  public static HistorySettings from(Settings s) {
    return new HistorySettings(s.on("AUDIT_TLOG", true),
        s.text("AUDIT_PG_HOST", "127.0.0.1"),
        s.port("AUDIT_PG_PORT", 5432),
        s.text("AUDIT_PG_DATABASE", "auditlog"),
        s.text("AUDIT_PG_USER", "auditlog"),
        s.text("AUDIT_PG_PASSWORD", ""),
        s.duration("AUDIT_RETENTION", Duration.ZERO),
        s.duration("AUDIT_RETENTION_INTERVAL", Duration.ofHours(1)));
  }

  /** The history switched off: every history endpoint answers 404 {@code tlog_disabled}. */
  public static HistorySettings off() {
    return new HistorySettings(false, "127.0.0.1", 5432, "auditlog", "auditlog", "", Duration.ZERO,
        Duration.ofHours(1));
  }

  @Override
  public String toString() {
    return "HistorySettings[on=" + on + ", pg=" + pgUser + "@" + pgHost + ":" + pgPort + "/" + pgDatabase
        + ", retention=" + retention + " every " + retentionInterval + "]";
  }
}
