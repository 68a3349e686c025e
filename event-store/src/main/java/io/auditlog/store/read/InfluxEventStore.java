package io.auditlog.store.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.filter.Filter;
import io.auditlog.filter.FilterEvaluator;
import io.auditlog.filter.StoreTime;
import io.auditlog.model.EventStamper;
import io.auditlog.model.InfluxNames;
import io.auditlog.store.CompiledFilter;
import io.auditlog.store.InfluxQl;
import io.auditlog.store.InfluxqlCompiler;
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
 * Reads events from a tenant's InfluxDB database with InfluxQL built by {@link InfluxQl}: every value, pattern and
 * name is a bound parameter.
 */
public final class InfluxEventStore {

  /**
   * How far around the time inside a trail's id its events are looked for. The id is made in the same millisecond as
   * the events' timestamps (a gateway may run a few milliseconds ahead when a slot fills), so seconds are ample.
   */
  static final Duration TRAIL_WINDOW = Duration.ofSeconds(5);

  /** The most events one trail answers; an event id shared by more is cut there (newest first). */
  static final int TRAIL_LIMIT = 10_000;

  private final InfluxQueries influx;
  private final EventScanner scanner;
  private final ReadBudget budget;
  private final IndexedFirstPage firstPage;

  public InfluxEventStore(InfluxQueries influx, EventScanner scanner, ReadBudget budget) {
    this.influx = influx;
    this.scanner = scanner;
    this.budget = budget;
    this.firstPage = new IndexedFirstPage(influx);
  }

  /**
   * The page's events, newest first; one more than the page size when another page exists. An unfiltered first page
   * is read ids first ({@link IndexedFirstPage}) when it can be. A filter InfluxQL
   * cannot express exactly is finished here: the widened selection is scanned newest first, the events before the
   * page only counted, until the page (and one more event) is filled — so a read holds one chunk and one page.
   */
  public Future<List<ObjectNode>> page(LogQuery query) {
    if (IndexedFirstPage.answers(query)) {
      return firstPage.page(query).compose(page -> page.isPresent() ? Future.succeededFuture(page.get())
          : scan(query));
    }
    return scan(query);
  }

  private Future<List<ObjectNode>> scan(LogQuery query) {
    Selection selection = selection(query);
    long skip = (long) (query.page() - 1) * query.size();
    if (selection.exact()) {
      return select(query.tenant(), InfluxQl.sql("SELECT * FROM ").then(selection.sql())
          .then(" ORDER BY time DESC LIMIT " + (query.size() + 1) + " OFFSET " + skip), row -> true);
    }
    FilterEvaluator evaluator = ReadBudget.evaluator(query.now(), budget.deadline(query.now()));
    Predicate<Row> keep = budget.counting(row -> evaluator.matches(query.filter(),
        new StoredEventValues(row.category(), row.columns())));
    List<Timed> page = new ArrayList<>();
    long[] kept = {0};
    return scanner.scan(query.tenant(), query.category(),
            EventScanner.Scan.everyColumn(selection.where(), keep, budget.deadline(query.now())),
            skip + query.size() + 1, row -> {
              if (kept[0]++ >= skip) {
                page.add(timed(row));
              }
            })
        .map(count -> page.stream().map(Timed::event).toList());
  }

  /**
   * Every event of one request, newest first. The trail index gives, within seconds of the time inside the id, each
   * event's timestamp and series, read from the id's bucket (and the bucketless series of points written before
   * buckets); then only those series are read, at those times.
   */
  public Future<List<ObjectNode>> trail(String tenant, String eventId, Filter view, Instant now) {
    long millis = EventStamper.epochMillisOf(eventId);
    if (millis < 0) {
      return Future.succeededFuture(List.of());
    }
    Instant at = Instant.ofEpochMilli(millis);
    InfluxQl index = InfluxQl.sql("SELECT ").then(InfluxQl.identifier(InfluxNames.FIELD_SERIES)).then(" FROM ")
        .then(InfluxQl.identifier(InfluxNames.TRAILS)).then(" WHERE (")
        .then(InfluxQl.identifier(InfluxNames.TAG_TRAIL_BUCKET)).then(" = ")
        .then(InfluxQl.string(InfluxNames.trailBucket(eventId))).then(" OR ")
        .then(InfluxQl.identifier(InfluxNames.TAG_TRAIL_BUCKET)).then(" = ").then(InfluxQl.string("")).then(") AND ")
        .then(InfluxQl.identifier(InfluxNames.FIELD_EVENT_ID)).then(" = ").then(InfluxQl.string(eventId))
        .then(" AND time >= ").then(InfluxQl.integer(StoreTime.nanos(at.minus(TRAIL_WINDOW))))
        .then(" AND time < ").then(InfluxQl.integer(StoreTime.nanos(at.plus(TRAIL_WINDOW))))
        .then(" ORDER BY time DESC LIMIT " + TRAIL_LIMIT);
    return influx.run(tenant, index).compose(result -> {
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
      FilterEvaluator evaluator = ReadBudget.evaluator(now, budget.deadline(now));
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
    InfluxQl query = InfluxQl.sql("SELECT * FROM ").then(InfluxQl.identifier(key.measurement()))
        .then(" WHERE time >= ").then(InfluxQl.integer(from)).then(" AND time <= ").then(InfluxQl.integer(to))
        .then(" AND ").then(InfluxQl.identifier(InfluxNames.FIELD_EVENT_ID)).then(" = ").then(InfluxQl.string(eventId))
        .then(" AND ").then(key.condition()).then(" LIMIT " + TRAIL_LIMIT);
    return select(tenant, query, inView);
  }

  /**
   * The selection of a log query: its category, and the time range, equalities and compiled filter as one
   * condition. When not {@code exact}, it selects a superset that the evaluator must finish.
   */
  record Selection(String category, InfluxQl where, boolean exact) {

    /** {@code "<category>" WHERE <condition>}. */
    InfluxQl sql() {
      return InfluxQl.identifier(category).then(" WHERE ").then(where);
    }
  }

  static Selection selection(LogQuery query) {
    List<InfluxQl> conditions = new ArrayList<>();
    conditions.add(InfluxQl.sql("time >= ").then(InfluxQl.integer(StoreTime.nanos(query.start())))
        .then(" AND time < ").then(InfluxQl.integer(StoreTime.nanos(query.stop()))));
    query.tags().forEach((column, value) -> conditions.add(equal(column, value)));
    query.fields().forEach((column, value) -> conditions.add(equal(column, value)));
    CompiledFilter compiled = new InfluxqlCompiler(query.now()).compile(query.filter());
    return new Selection(query.category(), compiled.andTo(InfluxQl.join(conditions, " AND ")), compiled.exact());
  }

  private static InfluxQl equal(String column, String value) {
    return InfluxQl.identifier(column).then(" = ").then(InfluxQl.string(value));
  }

  /** One returned point: its measurement and its columns. */
  record Row(String category, Map<String, JsonNode> columns) {
  }

  /** The events the query selects and {@code keep} keeps, decoded and kept on the evaluation pool. */
  private Future<List<ObjectNode>> select(String tenant, InfluxQl query, Predicate<Row> keep) {
    return influx.run(tenant, query, result -> events(result, keep));
  }

  private static List<ObjectNode> events(JsonNode result, Predicate<Row> keep) {
    List<Timed> events = rows(result, keep);
    // Series of different measurements come back one after the other: merge them, newest first.
    events.sort(Comparator.comparingLong(Timed::nanos).reversed());
    return events.stream().map(Timed::event).toList();
  }

  /** The events of one result that {@code keep} keeps, decoded, in the order of the result. */
  static List<Timed> rows(JsonNode result, Predicate<Row> keep) {
    List<Timed> events = new ArrayList<>();
    for (JsonNode series : result.path("series")) {
      String category = series.path("name").asText();
      SeriesRows rows = SeriesRows.of(series.path("columns"));
      for (JsonNode values : series.path("values")) {
        Map<String, JsonNode> row = rows.row(values);
        if (rows.whole(row) && keep.test(new Row(category, row))) {
          events.add(timed(new Row(category, row)));
        }
      }
    }
    return events;
  }

  private static Timed timed(Row row) {
    return new Timed(StoredEvents.timeNanos(row.columns()), StoredEvents.toEvent(row.category(), row.columns()));
  }

  /** A decoded event and its time in nanoseconds. */
  record Timed(long nanos, ObjectNode event) {
  }
}
