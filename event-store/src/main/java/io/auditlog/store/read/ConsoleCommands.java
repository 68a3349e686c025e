package io.auditlog.store.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.filter.Filter;
import io.auditlog.filter.FilterEvaluator;
import io.auditlog.filter.StoreTime;
import io.auditlog.filter.Variable;
import io.auditlog.filter.Variables;
import io.auditlog.model.EventStamper;
import io.auditlog.model.InfluxNames;
import io.auditlog.model.NanoTimestamps;
import io.auditlog.store.CompiledFilter;
import io.auditlog.store.InfluxQl;
import io.auditlog.store.InfluxqlCompiler;
import io.auditlog.store.TagShape;
import io.vertx.core.Future;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The AuditConsole commands over every category of a tenant: count (in total or by a variable), list, export, get
 * and delete.
 * The filter handed in is already the effective one (view AND request). A filter InfluxQL expresses exactly is
 * counted by InfluxDB; any other is decided row by row by the {@link FilterEvaluator}, with the same result.
 */
public final class ConsoleCommands {

  /** The metadata item holding a ModSecurity unique id. */
  private static final Variable UNIQUE_ID_ITEM = Variables.resolve("metadata.unique_id").orElseThrow();

  /** The most events one round of a delete chooses, and holds, at a time. */
  static final int DELETE_ROUND = 50_000;

  private final InfluxQueries influx;
  private final EventScanner scanner;
  private final EventDeleter deleter;
  private final StoredShapes shapes;
  private final ReadBudget budget;

  public ConsoleCommands(InfluxQueries influx, EventScanner scanner, EventDeleter deleter, StoredShapes shapes,
      ReadBudget budget) {
    this.influx = influx;
    this.scanner = scanner;
    this.deleter = deleter;
    this.shapes = shapes;
    this.budget = budget;
  }

  public Future<Long> count(String tenant, Filter filter, Instant now) {
    CompiledFilter compiled = new InfluxqlCompiler(now).compile(filter);
    return scanner.measurements(tenant).compose(measurements -> {
      if (measurements.isEmpty()) {
        return Future.succeededFuture(0L);
      }
      if (compiled.exact()) {
        return influx.run(tenant, countOf(measurements, compiled))
            .map(result -> counts(result, series -> "").values().stream().mapToLong(Long::longValue).sum());
      }
      long[] count = {0};
      return scanAll(tenant, measurements, scanOf(compiled, filter, now, budget.deadline(now)), row -> count[0]++)
          .map(v -> count[0]);
    });
  }

  /** Counts by value, largest first, ties by value. */
  public static List<Map.Entry<String, Long>> largestFirst(Map<String, Long> counts) {
    return counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .collect(Collectors.toList());
  }

  /** Events per value of {@code variable} (events without it under {@code ""}), in no order. */
  public Future<Map<String, Long>> countsBy(String tenant, Filter filter, Variable variable, Instant now) {
    CompiledFilter compiled = new InfluxqlCompiler(now).compile(filter);
    Future<Boolean> inInflux = compiled.exact() && CountsByHour.grouped(variable)
        ? shapes.of(tenant).map(shape -> CountsByHour.groupedInInflux(variable, shape))
        : Future.succeededFuture(false);
    return inInflux.compose(grouped -> scanner.measurements(tenant).compose(measurements -> {
      if (measurements.isEmpty()) {
        return Future.succeededFuture(Map.<String, Long>of());
      }
      if (grouped) {
        InfluxQl count = countOf(measurements, compiled);
        if (variable.kind() != Variable.Kind.CATEGORY) {
          count = count.then(" GROUP BY ").then(InfluxQl.identifier(variable.column()));
        }
        return influx.run(tenant, count).map(result -> counts(result, CountsByHour.keyOf(variable)));
      }
      Map<String, Long> counts = new HashMap<>();
      return scanAll(tenant, measurements, scanOf(compiled, filter, now, budget.deadline(now)),
          row -> valueTexts(variable, row).forEach(text -> counts.merge(text, 1L, Long::sum))).map(v -> counts);
    }));
  }

  /**
   * Hands the ids of the newest {@code limit} matching events (all of them when negative) to {@code ids}, newest
   * first, a chunk at a time: before each read from InfluxDB it waits for {@code beforeRead}, where the caller writes
   * out the ids handed so far. Answers how many ids were handed.
   */
  public Future<Long> list(String tenant, Filter filter, long limit, Instant now, Consumer<String> ids,
      Supplier<Future<Void>> beforeRead) {
    return newest(tenant, filter, now, limit < 0 ? Read.EVERY_ID : Read.IDS, budget.streamDeadline(now),
            Long.MAX_VALUE)
        .compose(rows -> rows.forEach(limit, row -> ids.accept(row.columns().get(InfluxNames.FIELD_ID).asText()),
            beforeRead));
  }

  /**
   * Hands every matching event, whole and newest first, to {@code events}, a chunk at a time, exactly as
   * {@link #list} hands ids: before each read from InfluxDB it waits for {@code beforeRead}, within the same stream
   * budget and row limit. Answers how many events were handed.
   */
  public Future<Long> export(String tenant, Filter filter, Instant now, Consumer<ObjectNode> events,
      Supplier<Future<Void>> beforeRead) {
    return newest(tenant, filter, now, Read.EVENTS, budget.streamDeadline(now), Long.MAX_VALUE)
        .compose(rows -> rows.forEach(-1, row -> events.accept(StoredEvents.toEvent(row.category(), row.columns())),
            beforeRead));
  }

  /**
   * Deletes the newest {@code limit} matching events (all of them when negative); answers how many. Deletes in rounds
   * of at most {@value #DELETE_ROUND}, newest first, so that only one round's events are held at a time; each round
   * after the first looks no later than where the one before ended, so events arriving meanwhile cannot prolong it.
   * Each round's events are recorded in {@code log} before their points are deleted. Each round's search has a
   * listing's time ({@link ReadBudget#streamTime()}): a filter that costs more than that per round is a 503.
   */
  public Future<Long> delete(String tenant, Filter filter, long limit, Instant now, DeletionLog log) {
    return deleteRound(tenant, filter, limit, now, log, Long.MAX_VALUE, 0);
  }

  private Future<Long> deleteRound(String tenant, Filter filter, long limit, Instant now, DeletionLog log,
      long notAfter, long deleted) {
    long wanted = limit < 0 ? DELETE_ROUND : Math.min(DELETE_ROUND, limit - deleted);
    if (wanted == 0) {
      return Future.succeededFuture(deleted);
    }
    List<EventDeleter.Target> targets = new ArrayList<>();
    return shapes.of(tenant).compose(shape -> newest(tenant, filter, now, Read.EVENTS,
            budget.streamDeadline(Instant.now()), notAfter)
        .compose(rows -> rows.forEach(wanted, row -> targets.add(target(row, shape)), Future::succeededFuture)))
        .compose(found -> targets.isEmpty() ? Future.succeededFuture(0L)
            : influx.erasing(tenant, OptionalLong.empty(), () -> log.beforeDelete(tenant, targets)
                .compose(recorded -> deleter.delete(tenant, targets, now)))
            .onSuccess(count -> log.afterDelete(tenant, targets, deleter)))
        .compose(count -> targets.size() < wanted ? Future.succeededFuture(deleted + count)
            : deleteRound(tenant, filter, limit, now, log, targets.get(targets.size() - 1).time(), deleted + count));
  }

  private static EventDeleter.Target target(InfluxEventStore.Row row, TagShape shape) {
    JsonNode seq = row.columns().get(InfluxNames.FIELD_SEQ);
    return new EventDeleter.Target(SeriesKey.of(row, shape), StoredEvents.timeNanos(row.columns()),
        row.columns().get(InfluxNames.FIELD_EVENT_ID).asText(), row.columns().get(InfluxNames.FIELD_ID).asText(),
        seq == null ? OptionalLong.empty() : OptionalLong.of(seq.asLong()));
  }

  /**
   * The event with this id, if the view lets the caller see it; else the newest event in the view whose ModSecurity
   * unique id it is. An event id carries its millisecond, so only the seconds around it are read; a unique id is
   * looked for in every event's metadata. Both are read like a listing: rows decided on the worker pool, within the
   * budget.
   */
  public Future<Optional<ObjectNode>> get(String tenant, String id, Filter view, Instant now) {
    return byEventId(tenant, id, view, now)
        .compose(found -> found.isPresent() ? Future.succeededFuture(found) : byUniqueId(tenant, id, view, now))
        .map(found -> found.map(row -> StoredEvents.toEvent(row.category(), row.columns())));
  }

  /**
   * The event with this id (an event id, not a unique id) if the view lets the caller see it, with its leaf in the
   * tenant's verifiable history; read as {@link #get} reads it.
   */
  public Future<Optional<LeafEvent>> withLeaf(String tenant, String id, Filter view, Instant now) {
    return byEventId(tenant, id, view, now).map(found -> found.map(LeafEvent::of));
  }

  private Future<Optional<InfluxEventStore.Row>> byEventId(String tenant, String id, Filter view, Instant now) {
    long millis = EventStamper.epochMillisOf(id);
    if (millis < 0) {
      return Future.succeededFuture(Optional.empty());
    }
    Instant at = Instant.ofEpochMilli(millis);
    InfluxQl where = InfluxQl.identifier(InfluxNames.FIELD_ID).then(" = ").then(InfluxQl.string(id))
        .then(" AND time >= ").then(InfluxQl.integer(StoreTime.nanos(at.minus(InfluxEventStore.TRAIL_WINDOW))))
        .then(" AND time < ").then(InfluxQl.integer(StoreTime.nanos(at.plus(InfluxEventStore.TRAIL_WINDOW))));
    return newestInView(tenant, where, values -> true, view, now);
  }

  /** The newest event in the view whose {@code unique_id} metadata item is exactly {@code uniqueId}. */
  private Future<Optional<InfluxEventStore.Row>> byUniqueId(String tenant, String uniqueId, Filter view, Instant now) {
    CompiledFilter compiled = new InfluxqlCompiler(now).compile(view);
    InfluxQl where = InfluxqlCompiler.metadataHolding(uniqueId).map(compiled::andTo).orElse(compiled.where());
    return newestInView(tenant, where, values -> uniqueId.equals(values.value(UNIQUE_ID_ITEM)), view, now);
  }

  /** The newest event of every category that {@code where} selects, {@code wanted} accepts and the view holds. */
  private Future<Optional<InfluxEventStore.Row>> newestInView(String tenant, InfluxQl where,
      Predicate<StoredEventValues> wanted, Filter view, Instant now) {
    Instant deadline = budget.deadline(now);
    FilterEvaluator evaluator = ReadBudget.evaluator(now, deadline);
    Predicate<InfluxEventStore.Row> keep = row -> {
      StoredEventValues values = new StoredEventValues(row.category(), row.columns());
      return wanted.test(values) && evaluator.matches(view, values);
    };
    EventScanner.Scan scan = EventScanner.Scan.everyColumn(where, keep, deadline);
    List<InfluxEventStore.Row> found = new ArrayList<>();
    return scanner.measurements(tenant)
        .compose(measurements -> new NewestFirst(scanner.readers(tenant, measurements, scan, false), deadline)
            .forEach(1, found::add, Future::succeededFuture))
        .map(count -> found.stream().findFirst());
  }

  /** What a read over every category needs of each matching event. */
  private enum Read {
    /** Whole events: an export, or a delete (which needs every column for each event's series). */
    EVENTS,
    /** Ids, of the newest events up to a limit. */
    IDS,
    /** Ids, of every matching event: a whole listing. */
    EVERY_ID
  }

  /**
   * The matching rows of every category no later than {@code notAfter} (nanoseconds), newest first over all of them.
   * When ids suffice and InfluxDB decides the filter alone, only the ids are read, and for every id, each category
   * as one streamed statement where one is free. The read stops at {@code deadline} ({@link Instant#MAX}: never).
   */
  private Future<NewestFirst> newest(String tenant, Filter filter, Instant now, Read read, Instant deadline,
      long notAfter) {
    CompiledFilter compiled = new InfluxqlCompiler(now).compile(filter);
    boolean idsOnly = read != Read.EVENTS && compiled.exact();
    EventScanner.Scan scan = idsOnly
        ? new EventScanner.Scan(InfluxQl.identifier(InfluxNames.FIELD_ID), compiled.where(), row -> true, deadline)
        : scanOf(compiled, filter, now, deadline);
    if (notAfter != Long.MAX_VALUE) {
      InfluxQl bound = InfluxQl.sql("time <= ").then(InfluxQl.integer(notAfter));
      scan = new EventScanner.Scan(scan.columns(), scan.where().isEmpty() ? bound
          : InfluxQl.sql("(").then(scan.where()).then(") AND ").then(bound), scan.keep(), scan.deadline());
    }
    EventScanner.Scan chosen = scan;
    return scanner.measurements(tenant).map(measurements -> new NewestFirst(scanner.readers(tenant, measurements,
        chosen, idsOnly && read == Read.EVERY_ID), deadline));
  }

  private Future<Void> scanAll(String tenant, List<String> measurements, EventScanner.Scan scan,
      Consumer<InfluxEventStore.Row> sink) {
    Future<Void> done = Future.succeededFuture();
    for (String measurement : measurements) {
      done = done.compose(v -> scanner.scan(tenant, measurement, scan, -1, sink).mapEmpty());
    }
    return done;
  }

  /** Exact filters select only matching rows; for the others every returned row is decided by the evaluator. */
  private static EventScanner.Scan scanOf(CompiledFilter compiled, Filter filter, Instant now, Instant deadline) {
    if (compiled.exact()) {
      return EventScanner.Scan.everyColumn(compiled.where(), row -> true, deadline);
    }
    FilterEvaluator evaluator = ReadBudget.evaluator(now, deadline);
    Predicate<InfluxEventStore.Row> keep = row -> evaluator.matches(filter,
        new StoredEventValues(row.category(), row.columns()));
    return EventScanner.Scan.everyColumn(compiled.where(), keep, deadline);
  }

  /** Counts the events (every event has an {@code id}) of every measurement that the compiled filter selects. */
  private static InfluxQl countOf(List<String> measurements, CompiledFilter compiled) {
    return InfluxQl.sql("SELECT count(").then(InfluxQl.identifier(InfluxNames.FIELD_ID)).then(") FROM ")
        .then(from(measurements)).then(where(compiled));
  }

  static InfluxQl from(List<String> measurements) {
    return InfluxQl.join(measurements.stream().map(InfluxQl::identifier).toList(), ",");
  }

  private static InfluxQl where(CompiledFilter compiled) {
    return compiled.where().isEmpty() ? InfluxQl.sql("") : InfluxQl.sql(" WHERE ").then(compiled.where());
  }

  /** Sums the single count of every returned series under the key {@code keyOf} gives it. */
  private static Map<String, Long> counts(JsonNode result, Function<JsonNode, String> keyOf) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (JsonNode series : result.path("series")) {
      long count = series.path("values").path(0).path(1).asLong();
      if (count > 0) {
        counts.merge(keyOf.apply(series), count, Long::sum);
      }
    }
    return counts;
  }

  /**
   * A variable's values in one row as text: numbers without a needless fraction, times in RFC 3339, each element of a
   * list (an event counts once under each of its values), absent or an empty list as "".
   */
  static List<String> valueTexts(Variable variable, InfluxEventStore.Row row) {
    Object value = new StoredEventValues(row.category(), row.columns()).value(variable);
    if (variable.counted()) {
      return List.of(Integer.toString(FilterEvaluator.count(value)));
    }
    if (value instanceof List<?> list) {
      return list.isEmpty() ? List.of("") : list.stream().map(String::valueOf).distinct().toList();
    }
    if (value == null) {
      return List.of("");
    }
    if (variable.kind() == Variable.Kind.TIME || variable.kind() == Variable.Kind.SENSOR_TIME) {
      return List.of(NanoTimestamps.format((Long) value));
    }
    if (value instanceof Double number && Double.isFinite(number)) {
      return List.of(BigDecimal.valueOf(number).stripTrailingZeros().toPlainString());
    }
    return List.of(value.toString());
  }
}
