package io.auditlog.store.read;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditlog.filter.Variable;
import io.auditlog.model.InfluxNames;
import io.auditlog.store.InfluxQl;
import io.auditlog.store.TagShape;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Counts of all a tenant's events by a categorical variable (the category, or a string that is a tag in some
 * {@link TagShape}), hour by hour, and the hours its events span: what the query-service keeps per hour so that a
 * count by a variable does not read every event each time. InfluxDB counts by the category and by the tags of the
 * tenant's shape; a string its shape keeps as a field is counted here over the rows of the hours asked for.
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
  private final StoredShapes shapes;
  private final ReadBudget budget;

  public CountsByHour(InfluxQueries influx, EventScanner scanner, StoredShapes shapes, ReadBudget budget) {
    this.influx = influx;
    this.scanner = scanner;
    this.shapes = shapes;
    this.budget = budget;
  }

  /** Whether counts by this variable are kept per hour: the category, or a categorical string counted by value. */
  public static boolean grouped(Variable variable) {
    return variable.kind() == Variable.Kind.CATEGORY || !variable.counted()
        && (variable.kind() == Variable.Kind.TAG || variable.kind() == Variable.Kind.SEVERITY);
  }

  /** Whether InfluxDB groups points of this shape by a {@link #grouped} variable: the category, or a tag. */
  public static boolean groupedInInflux(Variable variable, TagShape shape) {
    return grouped(variable) && (variable.kind() == Variable.Kind.CATEGORY || shape.isTag(variable.column()));
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
      throw new IllegalArgumentException("not counted per hour: " + variable);
    }
    return shapes.of(tenant).compose(shape -> scanner.measurements(tenant).compose(measurements -> {
      if (measurements.isEmpty() || fromHour >= toHour) {
        return Future.succeededFuture(Map.of());
      }
      InfluxQl during = InfluxQl.sql("time >= ").then(InfluxQl.integer(startOf(fromHour)))
          .then(" AND time < ").then(InfluxQl.integer(startOf(toHour)));
      return groupedInInflux(variable, shape) ? countInInflux(tenant, variable, measurements, during)
          : countRows(tenant, variable.column(), measurements, during);
    }));
  }

  private Future<Map<Long, Map<String, Long>>> countInInflux(String tenant, Variable variable,
      List<String> measurements, InfluxQl during) {
    InfluxQl query = InfluxQl.sql("SELECT count(").then(InfluxQl.identifier(InfluxNames.FIELD_ID))
        .then(") FROM ").then(ConsoleCommands.from(measurements)).then(" WHERE ").then(during)
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
  }

  /** Counts a string field by value over the rows, a category at a time, within a listing's time. */
  private Future<Map<Long, Map<String, Long>>> countRows(String tenant, String column, List<String> measurements,
      InfluxQl during) {
    Map<Long, Map<String, Long>> counts = new HashMap<>();
    EventScanner.Scan scan = new EventScanner.Scan(InfluxQl.identifier(InfluxNames.FIELD_ID).then(", ")
        .then(InfluxQl.identifier(column)), during, row -> true, budget.streamDeadline(Instant.now()));
    Future<Long> done = Future.succeededFuture();
    for (String measurement : measurements) {
      done = done.compose(read -> scanner.scan(tenant, measurement, scan, -1, row -> {
        JsonNode value = row.columns().get(column);
        counts.computeIfAbsent(hourOf(StoredEvents.timeNanos(row.columns())), hour -> new HashMap<>())
            .merge(value == null ? "" : value.asText(""), 1L, Long::sum);
      }));
    }
    return done.map(read -> counts);
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
