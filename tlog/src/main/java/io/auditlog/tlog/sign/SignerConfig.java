package io.auditlog.tlog.sign;

import io.auditlog.tlog.PgLogin;
import io.auditlog.web.Settings;
import java.time.Duration;

/**
 * What the checkpoint signer and the key tool read from the environment (table in tlog/README.md): the PostgreSQL
 * login ({@code AUDIT_PG_*}), {@code AUDIT_TLOG_SECRET} (required), {@code AUDIT_PUBLIC_HOST},
 * {@code AUDIT_CHECKPOINT_INTERVAL} (at least 1 s) and {@code AUDIT_CHECKPOINT_RETENTION} (at least 1 h).
 */
public record SignerConfig(PgLogin login, String secret, PublicHost publicHost, Duration interval,
    Duration retention) {

  public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
  public static final Duration MIN_RETENTION = Duration.ofHours(1);

  public SignerConfig {
    if (interval.compareTo(MIN_INTERVAL) < 0) {
      throw new IllegalArgumentException("AUDIT_CHECKPOINT_INTERVAL must be at least 1s, not " + interval);
    }
    if (retention.compareTo(MIN_RETENTION) < 0) {
      throw new IllegalArgumentException("AUDIT_CHECKPOINT_RETENTION must be at least 1h, not " + retention);
    }
  }

  public static SignerConfig from(Settings s) {
    return new SignerConfig(
        login(s),
        s.randomSecret("AUDIT_TLOG_SECRET"),
        new PublicHost(s.text("AUDIT_PUBLIC_HOST", "localhost:8000")),
        s.duration("AUDIT_CHECKPOINT_INTERVAL", MIN_INTERVAL),
        s.duration("AUDIT_CHECKPOINT_RETENTION", Duration.ofDays(7)));
  }

  /**
   * The PostgreSQL login that {@code AUDIT_PG_HOST}, {@code _PORT}, {@code _DATABASE}, {@code _USER} and
   * {@code _PASSWORD} give.
   */
  public static PgLogin login(Settings s) {
    return new PgLogin("jdbc:postgresql://" + s.text("AUDIT_PG_HOST", "127.0.0.1") + ":" + s.port("AUDIT_PG_PORT", 5432)
        + "/" + s.text("AUDIT_PG_DATABASE", "auditlog"),
        s.text("AUDIT_PG_USER", "auditlog"),
        s.text("AUDIT_PG_PASSWORD", ""));
  }

  @Override
  public String toString() {
    return "SignerConfig[" + login + ", " + publicHost + ", interval " + interval + ", retention " + retention + "]";
  }
}
