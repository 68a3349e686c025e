package io.auditlog.store.read;

import io.auditlog.model.InfluxNames;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * An aggregation of one metric per window over one page-less slice of a tenant's log: the selection of a
 * {@link LogQuery} (its page fields unused), the window length, the aggregation and an optional categorical field to
 * group by.
 */
public record MetricQuery(LogQuery selection, String metric, Duration interval, Aggregation aggregation,
    Optional<String> groupBy) {

  /** Categorical fields, by their parameter name, and where each is stored. */
  public static final Map<String, String> CATEGORICAL = Map.of(
      "category", "category",
      "app", InfluxNames.TAG_APP,
      "env", InfluxNames.TAG_ENV,
      "method", InfluxNames.TAG_METHOD,
      "status", InfluxNames.TAG_STATUS,
      "level", InfluxNames.TAG_LEVEL,
      "origin", InfluxNames.FIELD_ORIGIN,
      "event_name", InfluxNames.TAG_EVENT_NAME,
      "event_type", InfluxNames.TAG_EVENT_TYPE,
      "resource_type", InfluxNames.TAG_RESOURCE_TYPE);

}
