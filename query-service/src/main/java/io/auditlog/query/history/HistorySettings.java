package io.auditlog.query.history;

import io.auditlog.web.Settings;

/**
 * Whether the verifiable history is served ({@code AUDIT_TLOG}, default on) and the PostgreSQL database that holds
 * it ({@code AUDIT_PG_*}), which the query-service only reads.
 */
public record HistorySettings(boolean on, String pgHost, int pgPort, String pgDatabase, String pgUser,
    String pgPassword) {

  /** Values of {@code AUDIT_TLOG}. */
  enum Switch { ON, OFF }

  public static HistorySettings from(Settings s) {
    return new HistorySettings(s.choice("AUDIT_TLOG", Switch.ON) == Switch.ON,
        s.text("AUDIT_PG_HOST", "127.0.0.1"),
        s.port("AUDIT_PG_PORT", 5432),
        s.text("AUDIT_PG_DATABASE", "auditlog"),
        s.text("AUDIT_PG_USER", "auditlog"),
        s.text("AUDIT_PG_PASSWORD", ""));
  }

  /** The history switched off: every history endpoint answers 404 {@code tlog_disabled}. */
  public static HistorySettings off() {
    return new HistorySettings(false, "127.0.0.1", 5432, "auditlog", "auditlog", "");
  }

  @Override
  public String toString() {
    return "HistorySettings[on=" + on + ", pg=" + pgUser + "@" + pgHost + ":" + pgPort + "/" + pgDatabase + "]";
  }
}
