package io.auditlog.query;

import java.time.Duration;
import java.util.Optional;

/**
 * An aggregation of one metric per window over one page-less slice of a tenant's log: the selection of a
 * {@link LogQuery} (its page fields unused), the window length, the aggregation and an optional categorical field to
 * group by.
 */
public record MetricQuery(LogQuery selection, String metric, Duration interval, Aggregation aggregation,
    Optional<String> groupBy) {
}
