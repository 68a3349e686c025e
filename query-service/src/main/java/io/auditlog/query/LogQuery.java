package io.auditlog.query;

import java.time.Instant;
import java.util.Map;

/**
 * One page of a tenant's log: the measurement (category), tag and field equality filters, the time range
 * {@code [start, stop)}, and the page. Built only by {@link LogQueryParser}, so every value here is checked.
 */
public record LogQuery(
    String tenant,
    String category,
    Map<String, String> tags,
    Map<String, String> fields,
    Instant start,
    Instant stop,
    int page,
    int size) {

  public LogQuery {
    tags = Map.copyOf(tags);
    fields = Map.copyOf(fields);
  }
}
