package io.auditlog.store.read;

import static io.auditlog.model.InfluxNames.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.filter.FilterEvaluator;
import io.auditlog.model.ApiException;
import io.auditlog.store.InfluxQl;
import io.auditlog.store.TagShape;
import io.auditlog.model.Json;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Metric names, aggregations per window and counts per window. InfluxQL does the work where it can (the tags of the
 * tenant's {@link TagShape}); grouping or counting by a field ({@code origin}, or a string the shape keeps as a field)
 * reads the selected points and computes in Java with the same semantics.
 */
public final class MetricStore {

  static final List<String> BUILT_IN = List.of(FIELD_TOTAL_DURATION, FIELD_AFFECTED_RESOURCES, FIELD_LATENCY,
      FIELD_CPU_USAGE, FIELD_MEMORY_USAGE);
  private static final Set<String> NOT_METRICS = Set.of(FIELD_ID, FIELD_EVENT_ID, FIELD_STAGE, FIELD_ORIGIN,
      FIELD_DESCRIPTION, FIELD_RESOURCE, FIELD_RESOURCE_ID, FIELD_RESOURCE_NAME, FIELD_EVENT_DETAIL,
      FIELD_ACTOR_DETAIL, FIELD_RESOURCE_DETAIL, FIELD_METADATA);

  private final InfluxQueries influx;
  private final EventScanner scanner;
  private final StoredShapes shapes;
  private final ReadBudget budget;

  public MetricStore(InfluxQueries influx, EventScanner scanner, StoredShapes shapes, ReadBudget budget) {
    this.influx = influx;
    this.scanner = scanner;
    this.shapes = shapes;
    this.budget = budget;
  }

  /**
   * The built-in numeric fields, then every custom metric the tenant has written, by name. A caller with a view gets
   * the built-in ones only: a metric's name alone may tell what lies outside the view.
   */
  public Future<List<String>> names(String tenant, boolean viewed) {
    return viewed ? Future.succeededFuture(BUILT_IN) : names(tenant);
  }

  private Future<List<String>> names(String tenant) {
    return influx.run(tenant, InfluxQl.sql("SHOW FIELD KEYS")).map(result -> {
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

  /**
   * {@code [{"group_key", "data": [window + "value"]}]}, groups by key, windows in time order. An unknown metric is a
   * 404, except for a caller with a view, who gets no windows: a 404 would tell which names exist outside the view.
   */
  public Future<ArrayNode> aggregate(MetricQuery query, boolean viewed) {
    Future<List<String>> known = BUILT_IN.contains(query.metric()) ? Future.succeededFuture(BUILT_IN)
        : names(query.selection().tenant());
    return known.compose(names -> {
      if (!names.contains(query.metric()) && viewed) {
        return Future.succeededFuture(Json.MAPPER.createArrayNode());
      }
      if (!names.contains(query.metric())) {
        return Future.failedFuture(ApiException.notFound("Unknown metric " + query.metric() + "."));
      }
      InfluxEventStore.Selection selection = InfluxEventStore.selection(query.selection());
      return groupedInInflux(query.selection().tenant(), query.groupBy().orElse(null)).compose(grouped ->
          selection.exact() && grouped ? aggregateInInflux(query, selection) : aggregateInJava(query, selection));
    });
  }

  /**
   * Whether InfluxDB groups the tenant's points by a categorical field (null: no grouping): the category, or a tag of
   * the tenant's shape.
   */
  private Future<Boolean> groupedInInflux(String tenant, String field) {
    if (field == null || field.equals("category")) {
      return Future.succeededFuture(true);
    }
    String column = MetricQuery.CATEGORICAL.get(field);
    return TagShape.EIGHT_TAGS.isTag(column) ? shapes.of(tenant).map(shape -> shape.isTag(column))
        : Future.succeededFuture(false);
  }

  private Future<ArrayNode> aggregateInInflux(MetricQuery query, InfluxEventStore.Selection where) {
    LogQuery selection = query.selection();
    String tag = query.groupBy().filter(g -> !g.equals("category")).map(MetricQuery.CATEGORICAL::get)
        .orElse(null);
    InfluxQl statement = InfluxQl.sql("SELECT ").then(query.aggregation().influxql(InfluxQl.identifier(query.metric())))
        .then(" FROM ").then(where.sql()).then(groupBy(query.interval(), tag));
    return influx.run(selection.tenant(), statement).map(result -> {
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
  private Future<ArrayNode> aggregateInJava(MetricQuery query, InfluxEventStore.Selection where) {
    LogQuery selection = query.selection();
    Map<String, TreeMap<Long, List<Double>>> values = new TreeMap<>();
    return rows(selection, where, row -> {
      JsonNode value = row.columns().get(query.metric());
      if (value != null && value.isNumber()) {
        long window = Windows.alignedStart(StoredEvents.timeNanos(row.columns()), query.interval());
        values.computeIfAbsent(groupKey(row, query.groupBy().orElse(null), selection), k -> new TreeMap<>())
            .computeIfAbsent(window, w -> new ArrayList<>()).add(value.doubleValue());
      }
    }).map(read -> {
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
    InfluxEventStore.Selection where = InfluxEventStore.selection(selection);
    TreeMap<Long, TreeMap<String, Long>> inMemory = new TreeMap<>();
    Future<TreeMap<Long, TreeMap<String, Long>>> counted = groupedInInflux(selection.tenant(), field)
        .compose(grouped -> where.exact() && grouped ? countInInflux(field, selection, interval, where)
            : rows(selection, where, row -> inMemory.computeIfAbsent(
                Windows.alignedStart(StoredEvents.timeNanos(row.columns()), interval), w -> new TreeMap<>())
                .merge(groupKey(row, field, selection), 1L, Long::sum)).map(read -> inMemory));
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
      Duration interval, InfluxEventStore.Selection where) {
    String tag = field.equals("category") ? null : MetricQuery.CATEGORICAL.get(field);
    InfluxQl statement = InfluxQl.sql("SELECT count(").then(InfluxQl.identifier(FIELD_ID)).then(") FROM ")
        .then(where.sql()).then(groupBy(interval, tag));
    return influx.run(selection.tenant(), statement).map(result -> {
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

  /**
   * Hands every selected point to {@code sink}, finished by the evaluator when the selection is only a superset;
   * read in chunks off the event loop, within the read budget's time and row count.
   */
  private Future<Long> rows(LogQuery selection, InfluxEventStore.Selection where,
      Consumer<InfluxEventStore.Row> sink) {
    FilterEvaluator evaluator = ReadBudget.evaluator(selection.now(), budget.deadline(selection.now()));
    Predicate<InfluxEventStore.Row> keep = budget.counting(row -> where.exact()
        || evaluator.matches(selection.filter(), new StoredEventValues(row.category(), row.columns())));
    return scanner.scan(selection.tenant(), selection.category(),
        EventScanner.Scan.everyColumn(where.where(), keep, budget.deadline(selection.now())), -1, sink);
  }

  /** The value of a categorical field in a row ({@code ""} when the event lacks it), or "all" with no field. */
  private static String groupKey(InfluxEventStore.Row row, String field, LogQuery selection) {
    if (field == null) {
      return "all";
    }
    if (field.equals("category")) {
      return selection.category();
    }
    JsonNode value = row.columns().get(MetricQuery.CATEGORICAL.get(field));
    return value == null ? "" : value.asText("");
  }

  /** {@code GROUP BY time(<interval>)}, then the tag when there is one, without empty windows. */
  private static InfluxQl groupBy(Duration interval, String tag) {
    InfluxQl window = InfluxQl.sql(" GROUP BY time(" + interval.toMillis() + "ms)");
    return (tag == null ? window : window.then(", ").then(InfluxQl.identifier(tag))).then(" fill(none)");
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
