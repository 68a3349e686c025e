package io.auditlog.query;

import java.time.Duration;
import io.auditlog.web.Settings;

/** The query-service's configuration, read once from the environment (table in query-service/README.md). */
public record QueryConfig(String host, int port, String influxUrl, String internalSecret, Duration deleteSettle,
    ReadBudget readBudget, int evaluationThreads) {

  public static QueryConfig from(Settings s) {
    String secret = s.text("AUDIT_INTERNAL_SECRET", "");
    if (secret.length() < 32) {
      throw new IllegalArgumentException("AUDIT_INTERNAL_SECRET must be set to a secret of at least 32 characters");
    }
    return new QueryConfig(
        s.text("AUDIT_QUERY_HOST", "127.0.0.1"),
        s.port("AUDIT_QUERY_PORT", 8081),
        s.text("AUDIT_INFLUX_URL", "http://127.0.0.1:8086"),
        secret,
        s.duration("AUDIT_DELETE_SETTLE", Duration.ofMinutes(5)),
        new ReadBudget(s.duration("AUDIT_QUERY_READ_BUDGET", ReadBudget.DEFAULT.time()),
            s.integer("AUDIT_QUERY_MAX_SCANNED_ROWS", (int) ReadBudget.DEFAULT.maxScannedRows(), 1, Integer.MAX_VALUE)),
        s.integer("AUDIT_QUERY_EVALUATION_THREADS", 4, 1, 64));
  }
}
