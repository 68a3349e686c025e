package io.auditlog.query;

import io.auditlog.query.history.HistorySettings;
import io.auditlog.store.read.ReadBudget;
import io.auditlog.store.read.StreamPermits;
import io.auditlog.web.Settings;
import java.time.Duration;

/** The query-service's configuration, read once from the environment (table in query-service/README.md). */
public record QueryConfig(String host, int port, String influxUrl, String influxTenantSecret, String internalSecret,
    Duration deleteSettle, ReadBudget readBudget, int streamsPerTenant, int streamedReads, int evaluationThreads,
    Duration taskBudget, boolean hourlyCounts, Duration countKeeping, HistorySettings history) {

  /** How long one task on the evaluation threads may run (a chunk of rows decided in memory) before its read fails. */
  public static final Duration DEFAULT_TASK_BUDGET = Duration.ofSeconds(5);
  /** How often the counts kept per hour are brought up to date in the background ({@link CountKeeper}). */
  public static final Duration DEFAULT_COUNT_KEEPING = Duration.ofMinutes(5);

  public static QueryConfig from(Settings s) {
    return new QueryConfig(
        s.text("AUDIT_QUERY_HOST", "127.0.0.1"),
        s.port("AUDIT_QUERY_PORT", 8081),
        s.text("AUDIT_INFLUX_URL", "http://127.0.0.1:8086"),
        s.secret("AUDIT_INFLUX_TENANT_SECRET"),
        s.secret("AUDIT_INTERNAL_SECRET"),
        s.duration("AUDIT_DELETE_SETTLE", Duration.ofMinutes(5)),
        new ReadBudget(s.duration("AUDIT_QUERY_READ_BUDGET", ReadBudget.DEFAULT.time()),
            s.duration("AUDIT_QUERY_STREAM_BUDGET", ReadBudget.DEFAULT.streamTime()),
            s.integer("AUDIT_QUERY_MAX_SCANNED_ROWS", (int) ReadBudget.DEFAULT.maxScannedRows(), 1, Integer.MAX_VALUE),
            s.integer("AUDIT_QUERY_MAX_CATEGORIES", ReadBudget.DEFAULT.maxCategories(), 1, 100_000)),
        s.integer("AUDIT_QUERY_MAX_STREAMS_PER_TENANT", StreamSlots.DEFAULT_PER_TENANT, 1, 1_000),
        s.integer("AUDIT_QUERY_STREAMED_READS", StreamPermits.DEFAULT_TOTAL, 0, 1_000),
        s.integer("AUDIT_QUERY_EVALUATION_THREADS", 4, 1, 64),
        s.duration("AUDIT_QUERY_TASK_BUDGET", DEFAULT_TASK_BUDGET),
        s.on("AUDIT_QUERY_HOURLY_COUNTS", true),
        s.duration("AUDIT_QUERY_COUNT_KEEPING", DEFAULT_COUNT_KEEPING),
        HistorySettings.from(s));
  }

  /** Whether counts are kept per hour and brought up to date in the background ({@code 0s} turns the second off). */
  public boolean keepsCounts() {
    return hourlyCounts && !countKeeping.isZero() && !countKeeping.isNegative();
  }

  @Override
  public String toString() {
    return "QueryConfig[host=" + host + ", port=" + port + ", influxUrl=" + influxUrl + ", deleteSettle="
        + deleteSettle + ", streamsPerTenant=" + streamsPerTenant + ", streamedReads=" + streamedReads
        + ", hourlyCounts=" + hourlyCounts + ", countKeeping=" + countKeeping + ", history=" + history + "]";
  }
}
