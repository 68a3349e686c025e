package io.auditlog.store.read;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.filter.Variable;
import io.auditlog.model.InfluxNames;
import io.auditlog.store.InfluxQl;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Counts of all a tenant's events by a variable InfluxDB groups by (the category, or a tag), hour by hour, and the
 * hours its events span: what the query-service keeps per hour so that a count by a variable does not read every
 * event each time.
 */
public final class CountsByHour {

  public static final long HOUR_NANOS = 3_600_000_000_000L;
  /** The earliest and latest times InfluxDB stores. */
  static final long MIN_NANOS = Long.MIN_VALUE + 2;
  static final long MAX_NANOS = Long.MAX_VALUE - 1;

  /** The first and last hour (since the epoch) holding an event. */
  public record Span(long firstHour, long lastHour) {
  }

  private final InfluxQueries influx;
  private final EventScanner scanner;

  public CountsByHour(InfluxQueries influx, EventScanner scanner) {
    this.influx = influx;
    this.scanner = scanner;
  }

  /** Whether InfluxDB counts events by this variable itself: the category, or a tag counted by value. */
  public static boolean grouped(Variable variable) {
    return variable.kind() == Variable.Kind.CATEGORY || !variable.counted()
        && (variable.kind() == Variable.Kind.TAG || variable.kind() == Variable.Kind.SEVERITY);
  }

  /** What a {@link #grouped} variable's counts are grouped by: {@code category}, or the tag (no tag has that name). */
  public static String groupedBy(Variable variable) {
    return variable.kind() == Variable.Kind.CATEGORY ? "category" : variable.column();
  }

  /** The hour (since the epoch) a time in nanoseconds falls in. */
  public static long hourOf(long nanos) {
    return Math.floorDiv(nanos, HOUR_NANOS);
  }

  /** The first nanosecond of an hour, within the times InfluxDB can store (hours past either end are cut to it). */
  static long startOf(long hour) {
    if (hour <= hourOf(MIN_NANOS)) {
      return MIN_NANOS;
    }
    return hour > hourOf(MAX_NANOS) ? MAX_NANOS : hour * HOUR_NANOS;
  }

  /** The hours the tenant's events span, or empty when it has none. */
  public Future<Optional<Span>> span(String tenant) {
    return scanner.measurements(tenant).compose(measurements -> {
      if (measurements.isEmpty()) {
        return Future.succeededFuture(Optional.empty());
      }
      return influx.run(tenant, selector("first", measurements)).compose(first ->
          influx.run(tenant, selector("last", measurements)).map(last -> {
            long oldest = Long.MAX_VALUE;
            long newest = Long.MIN_VALUE;
            for (JsonNode series : first.path("series")) {
              oldest = Math.min(oldest, series.path("values").path(0).path(0).asLong());
            }
            for (JsonNode series : last.path("series")) {
              newest = Math.max(newest, series.path("values").path(0).path(0).asLong());
            }
            return oldest > newest ? Optional.empty() : Optional.of(new Span(hourOf(oldest), hourOf(newest)));
          }));
    });
  }

  /**
   * Events per hour in {@code [fromHour, toHour)} and value of a {@link #grouped} variable (events without it under
   * {@code ""}); hours without events are left out.
   */
  public Future<Map<Long, Map<String, Long>>> count(String tenant, Variable variable, long fromHour, long toHour) {
    if (!grouped(variable)) {
      throw new IllegalArgumentException("not counted by InfluxDB: " + variable);
    }
    return scanner.measurements(tenant).compose(measurements -> {
      if (measurements.isEmpty() || fromHour >= toHour) {
        return Future.succeededFuture(Map.of());
      }
      InfluxQl query = InfluxQl.sql("SELECT count(").then(InfluxQl.identifier(InfluxNames.FIELD_ID))
          .then(") FROM ").then(ConsoleCommands.from(measurements))
          .then(" WHERE time >= ").then(InfluxQl.integer(startOf(fromHour)))
          .then(" AND time < ").then(InfluxQl.integer(startOf(toHour)))
          .then(" GROUP BY time(1h)");
      if (variable.kind() != Variable.Kind.CATEGORY) {
        query = query.then(", ").then(InfluxQl.identifier(variable.column()));
      }
      Function<JsonNode, String> keyOf = keyOf(variable);
      return influx.run(tenant, query.then(" fill(none)")).map(result -> {
        Map<Long, Map<String, Long>> counts = new HashMap<>();
        for (JsonNode series : result.path("series")) {
          String value = keyOf.apply(series);
          for (JsonNode window : series.path("values")) {
            long count = window.path(1).asLong();
            if (count > 0) {
              counts.computeIfAbsent(hourOf(window.path(0).asLong()), hour -> new HashMap<>())
                  .merge(value, count, Long::sum);
            }
          }
        }
        return counts;
      });
    });
  }

  /** Where a grouped count's series keeps the value it counts: its name for the category, else its tag. */
  static Function<JsonNode, String> keyOf(Variable variable) {
    return variable.kind() == Variable.Kind.CATEGORY
        ? series -> series.path("name").asText()
        : series -> series.path("tags").path(variable.column()).asText();
  }

  private static InfluxQl selector(String function, List<String> measurements) {
    return InfluxQl.sql("SELECT " + function + "(").then(InfluxQl.identifier(InfluxNames.FIELD_ID)).then(") FROM ")
        .then(ConsoleCommands.from(measurements));
  }
}
