package io.auditlog.store.read;

import io.auditlog.model.ApiException;
import java.time.Duration;
import java.time.Instant;

/**
 * How long one read may take (AUDIT_QUERY_READ_BUDGET) and how many stored rows a read may examine in memory
 * (AUDIT_QUERY_MAX_SCANNED_ROWS). A read over either limit stops reading and fails with a clear error, so one
 * caller's expensive query cannot occupy the service.
 */
public record ReadBudget(Duration time, long maxScannedRows) {

  public static final ReadBudget DEFAULT = new ReadBudget(Duration.ofSeconds(30), 5_000_000);

  /** The deadline of a read that started at {@code now}. */
  Instant deadline(Instant now) {
    return now.plus(time);
  }

  static ApiException exceeded() {
    return ApiException.of(503, "query_timeout",
        "The query ran out of time; narrow the time range or the filter.");
  }

  /** Fails when a read has examined more rows than it may. */
  void checkScanned(long rows) {
    if (rows > maxScannedRows) {
      throw ApiException.of(422, "query_too_large", "The query would examine more than " + maxScannedRows
          + " stored events in memory; narrow the time range or the filter, or use a filter InfluxDB can decide.");
    }
  }
}
