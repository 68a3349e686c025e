package io.auditlog.store.read;

import io.auditlog.model.ApiException;
import io.auditlog.model.FieldError;
import io.auditlog.store.InfluxQl;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The aggregations of {@code agg}, each with its InfluxQL function. */
public enum Aggregation {
  MEAN("mean"), SUM("sum"), COUNT("count"), MIN("min"), MAX("max"), MEDIAN("median"), SPREAD("spread"),
  STDDEV("stddev"), FIRST("first"), LAST("last"), P50("p50"), P90("p90"), P95("p95"), P99("p99");

  private final String name;

  Aggregation(String name) {
    this.name = name;
  }

  /** The InfluxQL expression applied to {@code column}, named {@code value}. */
  public InfluxQl influxql(InfluxQl column) {
    InfluxQl function = switch (this) {
      case P50, P90, P95, P99 -> InfluxQl.sql("percentile(").then(column).then(", " + name.substring(1) + ")");
      default -> InfluxQl.sql(name + "(").then(column).then(")");
    };
    return function.then(" AS value");
  }

  public static Aggregation parse(String text) {
    String value = text == null ? "mean" : text;
    return Arrays.stream(values()).filter(a -> a.name.equals(value.toLowerCase(Locale.ROOT))).findFirst()
        .orElseThrow(() -> ApiException.validation(new FieldError(List.of("query", "agg"),
            "must be one of mean, sum, count, min, max, median, spread, stddev, first, last, p50, p90, p95, p99",
            "value_error.enum")));
  }
}
