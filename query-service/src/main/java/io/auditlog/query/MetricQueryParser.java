package io.auditlog.query;

import io.auditlog.store.read.Aggregation;
import io.auditlog.store.read.LogQuery;
import io.auditlog.store.read.MetricQuery;
import io.auditlog.model.ApiException;
import io.auditlog.model.Durations;
import io.auditlog.model.FieldError;
import io.vertx.core.MultiMap;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The parameters of the metric endpoints: the log selection plus {@code interval}, {@code agg}, {@code group_by}. */
public final class MetricQueryParser {

  static final long MAX_WINDOWS = 10_000;

  private final LogQueryParser selection;

  public MetricQueryParser(LogQueryParser selection) {
    this.selection = selection;
  }

  public MetricQuery parse(io.auditlog.web.InternalTokens.Identity identity, String metric, MultiMap params) {
    LogQuery query = selection.parse(identity, params);
    Duration interval = interval(params.get("interval"));
    Aggregation aggregation = Aggregation.parse(params.get("agg"));
    Optional<String> groupBy = Optional.ofNullable(params.get("group_by")).filter(g -> !g.isEmpty())
        .map(g -> categorical(g, "group_by"));
    long windows = Duration.between(query.start(), query.stop()).dividedBy(interval) + 2;
    if (windows > MAX_WINDOWS) {
      throw ApiException.validation(new FieldError(List.of("query", "interval"),
          "the range holds more than " + MAX_WINDOWS + " windows of this interval", "value_error.windows"));
    }
    return new MetricQuery(query, metric, interval, aggregation, groupBy);
  }

  /** A categorical field's storage name; 422 at {@code ["query"|"path", param]} for anything else. */
  static String categorical(String field, String param) {
    String stored = MetricQuery.CATEGORICAL.get(field);
    if (stored == null) {
      throw ApiException.validation(new FieldError(List.of(param.equals("field") ? "path" : "query", param),
          "must be one of " + String.join(", ", MetricQuery.CATEGORICAL.keySet().stream().sorted().toList()),
          "value_error.enum"));
    }
    return field;
  }

  /** The longest window: ten years, far longer than any range worth charting, and safe in nanoseconds. */
  static final Duration MAX_INTERVAL = Duration.ofDays(3653);

  static Duration interval(String text) {
    Optional<Duration> parsed = Durations.parse(text == null ? "1m" : text);
    if (parsed.isEmpty() || parsed.get().isZero() || parsed.get().compareTo(MAX_INTERVAL) > 0) {
      throw ApiException.validation(new FieldError(List.of("query", "interval"),
          "must be a positive duration of at most 3653d, such as 1m, 30s or 1h", "value_error.duration"));
    }
    return parsed.get();
  }
}
