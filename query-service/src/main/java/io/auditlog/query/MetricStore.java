package io.auditlog.query;

import static io.auditlog.model.InfluxNames.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.filter.FilterEvaluator;
import io.auditlog.model.ApiException;
import io.auditlog.model.InfluxQl;
import io.auditlog.model.Json;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Metric names, aggregations per window and counts per window. InfluxQL does the work where it can (tags); grouping
 * or counting by {@code origin}, a field, reads the selected points and computes in Java with the same semantics.
 */
public final class MetricStore {

  static final List<String> BUILT_IN = List.of(FIELD_TOTAL_DURATION, FIELD_AFFECTED_RESOURCES, FIELD_LATENCY,
      FIELD_CPU_USAGE, FIELD_MEMORY_USAGE);
  private static final Set<String> NOT_METRICS = Set.of(FIELD_ID, FIELD_EVENT_ID, FIELD_STAGE, FIELD_ORIGIN,
      FIELD_DESCRIPTION, FIELD_RESOURCE, FIELD_RESOURCE_ID, FIELD_RESOURCE_NAME, FIELD_EVENT_DETAIL,
      FIELD_ACTOR_DETAIL, FIELD_RESOURCE_DETAIL, FIELD_METADATA);

  private final InfluxQueries influx;

  public MetricStore(InfluxQueries influx) {
    this.influx = influx;
  }

  /** The built-in numeric fields, then every custom metric the tenant has written, by name. */
  public Future<List<String>> names(String tenant) {
    return influx.run(tenant, "SHOW FIELD KEYS", Json.MAPPER.createObjectNode()).map(result -> {
      Set<String> custom = new TreeSet<>();
      for (JsonNode series : result.path("series")) {
        for (JsonNode field : series.path("values")) {
          String name = field.path(0).asText();
          if ("float".equals(field.path(1).asText()) && !BUILT_IN.contains(name) && !NOT_METRICS.contains(name)) {
            custom.add(name);
          }
        }
      }
      List<String> names = new ArrayList<>(BUILT_IN);
      names.addAll(custom);
      return names;
    });
  }

  /** {@code [{"group_key", "data": [window + "value"]}]}, groups by key, windows in time order. */
  public Future<ArrayNode> aggregate(MetricQuery query) {
    Future<List<String>> known = BUILT_IN.contains(query.metric()) ? Future.succeededFuture(BUILT_IN)
        : names(query.selection().tenant());
    return known.compose(names -> {
      if (!names.contains(query.metric())) {
        return Future.failedFuture(ApiException.notFound("Unknown metric " + query.metric() + "."));
      }
      ObjectNode params = Json.MAPPER.createObjectNode();
      InfluxEventStore.Selection selection = InfluxEventStore.selection(query.selection(), params);
      boolean inInflux = selection.exact() && query.groupBy().filter(FIELD_ORIGIN::equals).isEmpty();
      return inInflux ? aggregateInInflux(query, selection, params) : aggregateInJava(query, selection, params);
    });
  }

  private Future<ArrayNode> aggregateInInflux(MetricQuery query, InfluxEventStore.Selection where,
      ObjectNode params) {
    LogQuery selection = query.selection();
    String tag = query.groupBy().filter(g -> !g.equals("category")).map(MetricQueryParser.CATEGORICAL::get)
        .orElse(null);
    String statement = "SELECT " + query.aggregation().influxql(InfluxQl.identifier(query.metric()))
        + " AS \"value\" FROM " + where.sql()
        + " GROUP BY " + timeWindow(query.interval()) + (tag == null ? "" : ", " + InfluxQl.identifier(tag))
        + " fill(none)";
    return influx.run(selection.tenant(), statement, params).map(result -> {
      Map<String, List<ObjectNode>> groups = new TreeMap<>();
      for (JsonNode series : result.path("series")) {
        String key = tag != null ? series.path("tags").path(tag).asText("")
            : query.groupBy().isPresent() ? selection.category() : "all";
        for (JsonNode row : series.path("values")) {
          if (row.path(1).isNumber()) {
            ObjectNode window = Windows.describe(row.path(0).asLong(), query.interval(), selection.start(),
                selection.stop());
            window.put("value", row.path(1).doubleValue());
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(window);
          }
        }
      }
      return groupsJson(groups);
    });
  }

  /**
   * What InfluxQL cannot group or filter exactly (grouping by {@code origin}, a filter it can only widen): the
   * selected points are read, finished by the evaluator, and aggregated with InfluxQL's semantics.
   */
  private Future<ArrayNode> aggregateInJava(MetricQuery query, InfluxEventStore.Selection where,
      ObjectNode params) {
    LogQuery selection = query.selection();
    return rows(selection, where, params).map(rows -> {
      Map<String, TreeMap<Long, List<Double>>> values = new TreeMap<>();
      for (InfluxEventStore.Row row : rows) {
        JsonNode value = row.columns().get(query.metric());
        if (value != null && value.isNumber()) {
          long window = Windows.alignedStart(StoredEvents.timeNanos(row.columns()), query.interval());
          values.computeIfAbsent(groupKey(row, query.groupBy().orElse(null), selection), k -> new TreeMap<>())
              .computeIfAbsent(window, w -> new ArrayList<>()).add(value.doubleValue());
        }
      }
      Map<String, List<ObjectNode>> groups = new TreeMap<>();
      values.forEach((key, windows) -> windows.forEach((start, list) -> {
        OptionalDouble value = Aggregator.apply(query.aggregation(),
            list.stream().mapToDouble(Double::doubleValue).toArray());
        if (value.isPresent()) {
          ObjectNode window = Windows.describe(start, query.interval(), selection.start(), selection.stop());
          window.put("value", value.getAsDouble());
          groups.computeIfAbsent(key, k -> new ArrayList<>()).add(window);
        }
      }));
      return groupsJson(groups);
    });
  }

  /** {@code [window + "data": {value: count}]} in time order, by a categorical field. */
  public Future<ArrayNode> count(String field, LogQuery selection, Duration interval) {
    ObjectNode params = Json.MAPPER.createObjectNode();
    InfluxEventStore.Selection where = InfluxEventStore.selection(selection, params);
    Future<TreeMap<Long, TreeMap<String, Long>>> counted = where.exact() && !field.equals("origin")
        ? countInInflux(field, selection, interval, where, params)
        : rows(selection, where, params).map(rows -> {
          TreeMap<Long, TreeMap<String, Long>> windows = new TreeMap<>();
          for (InfluxEventStore.Row row : rows) {
            windows.computeIfAbsent(Windows.alignedStart(StoredEvents.timeNanos(row.columns()), interval),
                w -> new TreeMap<>()).merge(groupKey(row, field, selection), 1L, Long::sum);
          }
          return windows;
        });
    return counted.map(windows -> {
      ArrayNode answer = Json.MAPPER.createArrayNode();
      windows.forEach((start, counts) -> {
        ObjectNode window = Windows.describe(start, interval, selection.start(), selection.stop());
        ObjectNode data = window.putObject("data");
        counts.forEach(data::put);
        answer.add(window);
      });
      return answer;
    });
  }

  private Future<TreeMap<Long, TreeMap<String, Long>>> countInInflux(String field, LogQuery selection,
      Duration interval, InfluxEventStore.Selection where, ObjectNode params) {
    String tag = field.equals("category") ? null : MetricQueryParser.CATEGORICAL.get(field);
    String statement = "SELECT count(" + InfluxQl.identifier(FIELD_ID) + ") FROM " + where.sql() + " GROUP BY "
        + timeWindow(interval) + (tag == null ? "" : ", " + InfluxQl.identifier(tag)) + " fill(none)";
    return influx.run(selection.tenant(), statement, params).map(result -> {
      TreeMap<Long, TreeMap<String, Long>> windows = new TreeMap<>();
      for (JsonNode series : result.path("series")) {
        String key = tag == null ? selection.category() : series.path("tags").path(tag).asText("");
        for (JsonNode row : series.path("values")) {
          if (row.path(1).asLong() > 0) {
            windows.computeIfAbsent(row.path(0).asLong(), w -> new TreeMap<>()).merge(key, row.path(1).asLong(),
                Long::sum);
          }
        }
      }
      return windows;
    });
  }

  /** Every selected point, finished by the evaluator when the selection is only a superset. */
  private Future<List<InfluxEventStore.Row>> rows(LogQuery selection, InfluxEventStore.Selection where,
      ObjectNode params) {
    FilterEvaluator evaluator = new FilterEvaluator(selection.now());
    return influx.run(selection.tenant(), "SELECT * FROM " + where.sql(), params).map(result -> {
      List<InfluxEventStore.Row> rows = new ArrayList<>();
      for (JsonNode series : result.path("series")) {
        String category = series.path("name").asText();
        for (JsonNode values : series.path("values")) {
          InfluxEventStore.Row row = new InfluxEventStore.Row(category,
              StoredEvents.row(series.path("columns"), values));
          if (where.exact() || evaluator.matches(selection.filter(), new StoredEventValues(category,
              row.columns()))) {
            rows.add(row);
          }
        }
      }
      return rows;
    });
  }

  /** The value of a categorical field in a row ({@code ""} when the event lacks it), or "all" with no field. */
  private static String groupKey(InfluxEventStore.Row row, String field, LogQuery selection) {
    if (field == null) {
      return "all";
    }
    if (field.equals("category")) {
      return selection.category();
    }
    JsonNode value = row.columns().get(MetricQueryParser.CATEGORICAL.get(field));
    return value == null ? "" : value.asText("");
  }

  private static String timeWindow(Duration interval) {
    return "time(" + interval.toMillis() + "ms)";
  }

  private static ArrayNode groupsJson(Map<String, List<ObjectNode>> groups) {
    ArrayNode answer = Json.MAPPER.createArrayNode();
    groups.forEach((key, windows) -> {
      ObjectNode group = answer.addObject();
      group.put("group_key", key);
      ArrayNode data = group.putArray("data");
      windows.forEach(data::add);
    });
    return answer;
  }
}
