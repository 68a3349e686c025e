package io.auditlog.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.filter.CompiledFilter;
import io.auditlog.filter.Filter;
import io.auditlog.filter.FilterEvaluator;
import io.auditlog.filter.InfluxqlCompiler;
import io.auditlog.model.EventStamper;
import io.auditlog.model.InfluxNames;
import io.auditlog.model.InfluxQl;
import io.auditlog.model.Json;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Reads events from a tenant's InfluxDB database with InfluxQL. Every user value is a bound parameter
 * ({@code $name} with {@code params}); the only identifier built from user input, the measurement, goes through
 * {@link InfluxQl#identifier}.
 */
public final class InfluxEventStore {

  /**
   * How far around the time inside a trail's id its events are looked for. The id is made in the same millisecond as
   * the events' timestamps (a gateway may run a few milliseconds ahead when a slot fills), so seconds are ample.
   */
  static final Duration TRAIL_WINDOW = Duration.ofSeconds(5);

  private final InfluxQueries influx;

  public InfluxEventStore(InfluxQueries influx) {
    this.influx = influx;
  }

  /**
   * The page's events, newest first; one more than the page size when another page exists. A filter InfluxQL
   * cannot express exactly is finished here: the widened selection is read in chunks, newest first, until the page
   * (and one more event) is filled.
   */
  public Future<List<ObjectNode>> page(LogQuery query) {
    ObjectNode params = Json.MAPPER.createObjectNode();
    Selection selection = selection(query, params);
    long skip = (long) (query.page() - 1) * query.size();
    if (selection.exact()) {
      return select(query.tenant(), "SELECT * FROM " + selection.sql() + " ORDER BY time DESC LIMIT "
          + (query.size() + 1) + " OFFSET " + skip, params, row -> true);
    }
    FilterEvaluator evaluator = new FilterEvaluator(query.now());
    return scan(query, selection.sql(), params, evaluator, 0, new ArrayList<>(), skip + query.size() + 1)
        .map(matched -> matched.subList((int) Math.min(skip, matched.size()), matched.size()));
  }

  private static final int SCAN_CHUNK = 1000;

  private Future<List<ObjectNode>> scan(LogQuery query, String selection, ObjectNode params,
      FilterEvaluator evaluator, long offset, List<ObjectNode> matched, long needed) {
    String sql = "SELECT * FROM " + selection + " ORDER BY time DESC LIMIT " + SCAN_CHUNK + " OFFSET " + offset;
    int[] read = {0};
    return select(query.tenant(), sql, params, row -> {
      read[0]++;
      return evaluator.matches(query.filter(), new StoredEventValues(row.category(), row.columns()));
    }).compose(events -> {
      matched.addAll(events);
      if (matched.size() >= needed || read[0] < SCAN_CHUNK) {
        return Future.succeededFuture(matched.subList(0, (int) Math.min(needed, matched.size())));
      }
      return scan(query, selection, params, evaluator, offset + SCAN_CHUNK, matched, needed);
    });
  }

  /**
   * Every event of one request, newest first. The trail index (one series per tenant) gives, within seconds of the
   * time inside the id, each event's timestamp and series; then only those series are read, at those times.
   */
  public Future<List<ObjectNode>> trail(String tenant, String eventId, Filter view, Instant now) {
    long millis = EventStamper.epochMillisOf(eventId);
    if (millis < 0) {
      return Future.succeededFuture(List.of());
    }
    Instant at = Instant.ofEpochMilli(millis);
    ObjectNode params = Json.MAPPER.createObjectNode();
    params.put("event_id", eventId);
    params.put("start", nanos(at.minus(TRAIL_WINDOW)));
    params.put("stop", nanos(at.plus(TRAIL_WINDOW)));
    String index = "SELECT " + InfluxQl.identifier(InfluxNames.FIELD_SERIES) + " FROM "
        + InfluxQl.identifier(InfluxNames.TRAILS) + " WHERE " + InfluxQl.identifier(InfluxNames.FIELD_EVENT_ID)
        + " = $event_id AND time >= $start AND time < $stop";
    return influx.run(tenant, index, params).compose(result -> {
      Map<String, long[]> series = new LinkedHashMap<>();
      for (JsonNode row : result.path("series").path(0).path("values")) {
        long time = row.path(0).asLong();
        series.merge(row.path(1).asText(), new long[] {time, time},
            (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
      }
      if (series.isEmpty()) {
        return Future.succeededFuture(List.of());
      }
      List<Future<List<ObjectNode>>> reads = new ArrayList<>();
      FilterEvaluator evaluator = new FilterEvaluator(now);
      Predicate<Row> inView = row -> evaluator.matches(view,
          new StoredEventValues(row.category(), row.columns()));
      series.forEach((key, times) -> reads.add(readSeries(tenant, SeriesKey.parse(key), times[0], times[1], eventId,
          inView)));
      return Future.all(reads).map(all -> {
        List<ObjectNode> events = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
          events.addAll(all.<List<ObjectNode>>resultAt(i));
        }
        events.sort(Comparator.comparing((ObjectNode e) -> e.path("timestamp").asText()).reversed());
        return events;
      });
    });
  }

  /** The points of one exact series between two times that belong to the trail. */
  private Future<List<ObjectNode>> readSeries(String tenant, SeriesKey key, long from, long to, String eventId,
      Predicate<Row> inView) {
    ObjectNode params = Json.MAPPER.createObjectNode();
    String sql = "SELECT * FROM " + InfluxQl.identifier(key.measurement()) + " WHERE time >= $from AND time <= $to AND "
        + InfluxQl.identifier(InfluxNames.FIELD_EVENT_ID) + " = $event_id AND " + key.condition();
    params.put("from", from);
    params.put("to", to);
    params.put("event_id", eventId);
    return select(tenant, sql, params, inView);
  }

  /**
   * {@code "<category>" WHERE <time range, equalities and the compiled filter>}: the selection of a log query, its
   * values bound in {@code params} or escaped by the compiler. When not {@code exact}, it selects a superset that
   * the evaluator must finish.
   */
  record Selection(String sql, boolean exact) {
  }

  static Selection selection(LogQuery query, ObjectNode params) {
    StringBuilder sql = new StringBuilder(InfluxQl.identifier(query.category()))
        .append(" WHERE time >= $start AND time < $stop");
    params.put("start", nanos(query.start()));
    params.put("stop", nanos(query.stop()));
    bindEqualities(query.tags(), "t_", sql, params);
    bindEqualities(query.fields(), "f_", sql, params);
    CompiledFilter compiled = new InfluxqlCompiler(query.now()).compile(query.filter());
    return new Selection(compiled.andTo(sql.toString()), compiled.exact());
  }

  /** One returned point: its measurement and its columns. */
  record Row(String category, Map<String, JsonNode> columns) {
  }

  private static void bindEqualities(Map<String, String> equalities, String prefix, StringBuilder sql,
      ObjectNode params) {
    equalities.forEach((column, value) -> {
      String param = prefix + column;
      sql.append(" AND ").append(InfluxQl.identifier(column)).append(" = $").append(param);
      params.put(param, value);
    });
  }

  private Future<List<ObjectNode>> select(String tenant, String statement, ObjectNode params,
      Predicate<Row> keep) {
    return influx.run(tenant, statement, params).map(result -> events(result, keep));
  }

  private static List<ObjectNode> events(JsonNode result, Predicate<Row> keep) {
    List<Timed> events = new ArrayList<>();
    for (JsonNode series : result.path("series")) {
      String category = series.path("name").asText();
      for (JsonNode values : series.path("values")) {
        Map<String, JsonNode> row = StoredEvents.row(series.path("columns"), values);
        if (keep.test(new Row(category, row))) {
          events.add(new Timed(StoredEvents.timeNanos(row), StoredEvents.toEvent(category, row)));
        }
      }
    }
    // Series of different measurements come back one after the other: merge them, newest first.
    events.sort(Comparator.comparingLong(Timed::nanos).reversed());
    return events.stream().map(Timed::event).toList();
  }

  private record Timed(long nanos, ObjectNode event) {
  }

  static long nanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }
}
