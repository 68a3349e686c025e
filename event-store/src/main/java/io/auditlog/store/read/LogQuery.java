package io.auditlog.store.read;

import io.auditlog.filter.Filter;
import java.time.Instant;
import java.util.Map;

/**
 * One page of a tenant's log: the measurement (category), tag and field equality filters, the time range
 * {@code [start, stop)}, the effective filter (the caller's view AND the request's {@code filter}, evaluated as of
 * {@code now}), and the page. Built by the query-service's parser, which checks every value.
 */
public record LogQuery(
    String tenant,
    String category,
    Map<String, String> tags,
    Map<String, String> fields,
    Instant start,
    Instant stop,
    Filter filter,
    Instant now,
    int page,
    int size) {

  public LogQuery {
    tags = Map.copyOf(tags);
    fields = Map.copyOf(fields);
  }
}
