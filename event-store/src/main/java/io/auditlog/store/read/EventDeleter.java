package io.auditlog.store.read;

import io.auditlog.filter.StoreTime;
import io.auditlog.model.InfluxNames;
import io.auditlog.store.LineProtocol;
import io.auditlog.store.InfluxQl;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * Removes events from InfluxDB for good. InfluxQL's {@code DELETE} takes only tags and time, so every event is deleted
 * by its exact series and timestamp — no statement can reach a point that was not chosen.
 *
 * <p>One statement per event costs InfluxDB milliseconds, so consecutive chosen events of one series (no other stored
 * point between them) are deleted as one time range. Only events older than the settle time are joined that way: a
 * newer one may still have a neighbour on its way from Kafka, which a range would delete on arrival. The trail index
 * point of each event is overwritten with empty fields, which leaves nothing of the event and matches no trail: in
 * its bucket, and in the bucketless series where points written before buckets are.
 */
public final class EventDeleter {

  static final int STATEMENTS_PER_REQUEST = 200;
  static final int LINES_PER_WRITE = 5_000;

  private final InfluxQueries influx;
  private final EventScanner scanner;
  private final Duration settle;

  public EventDeleter(InfluxQueries influx, EventScanner scanner, Duration settle) {
    this.influx = influx;
    this.scanner = scanner;
    this.settle = settle;
  }

  /**
   * One chosen event: its series, its timestamp in nanoseconds, its request's event id, its own id and its leaf's
   * seq in the verifiable history (empty for an event stored outside it).
   */
  public record Target(SeriesKey series, long time, String eventId, String id, OptionalLong seq) {
  }

  /**
   * Deletes the targets as a deletion of its own ({@link InfluxQueries#erasing}), and answers how many they were: the
   * later pass of a delete.
   */
  public Future<Long> deleteAgain(String tenant, List<Target> targets, Instant now) {
    return influx.erasing(tenant, OptionalLong.empty(), () -> delete(tenant, targets, now));
  }

  /** Deletes the targets and answers how many they were; only inside a deletion ({@link InfluxQueries#erasing}). */
  public Future<Long> delete(String tenant, List<Target> targets, Instant now) {
    long settledBefore = StoreTime.nanos(now.minus(settle));
    Map<SeriesKey, NavigableSet<Long>> bySeries = new LinkedHashMap<>();
    for (Target target : targets) {
      bySeries.computeIfAbsent(target.series(), s -> new TreeSet<>()).add(target.time());
    }
    Future<Void> done = Future.succeededFuture();
    for (Map.Entry<SeriesKey, NavigableSet<Long>> series : bySeries.entrySet()) {
      done = done.compose(v -> statements(tenant, series.getKey(), series.getValue(), settledBefore))
          .compose(statements -> executeInBatches(tenant, statements));
    }
    return done.compose(v -> scrubTrails(tenant, targets)).map(v -> (long) targets.size());
  }

  /** The DELETE statements for one series: ranges over settled runs, single times for the rest. */
  private Future<List<InfluxQl>> statements(String tenant, SeriesKey series, NavigableSet<Long> times,
      long settledBefore) {
    InfluxQl prefix = InfluxQl.sql("DELETE FROM ").then(InfluxQl.identifier(series.measurement())).then(" WHERE ")
        .then(series.condition()).then(" AND ");
    List<InfluxQl> statements = new ArrayList<>();
    for (long time : times.tailSet(settledBefore, true)) {
      statements.add(Runs.at(prefix, time));
    }
    NavigableSet<Long> settled = times.headSet(settledBefore, false);
    if (settled.isEmpty()) {
      return Future.succeededFuture(statements);
    }
    Runs runs = new Runs(settled, prefix, statements);
    InfluxQl where = series.condition().then(" AND ").then(Runs.between(settled.first(), settled.last()));
    return scanner.scan(tenant, series.measurement(), new EventScanner.Scan(
            InfluxQl.identifier(InfluxNames.FIELD_ID), where, row -> true, Instant.MAX), -1,
            row -> runs.stored(StoredEvents.timeNanos(row.columns())))
        .map(read -> {
          runs.close();
          return statements;
        });
  }

  /**
   * Walks a series' stored points newest first and joins chosen ones into runs; any point not chosen ends a run.
   */
  private static final class Runs {
    private final NavigableSet<Long> chosen;
    private final InfluxQl prefix;
    private final List<InfluxQl> statements;
    private Long newest;
    private Long oldest;

    Runs(NavigableSet<Long> chosen, InfluxQl prefix, List<InfluxQl> statements) {
      this.chosen = chosen;
      this.prefix = prefix;
      this.statements = statements;
    }

    void stored(long time) {
      if (!chosen.contains(time)) {
        close();
        return;
      }
      if (newest == null) {
        newest = time;
      }
      oldest = time;
    }

    void close() {
      if (newest == null) {
        return;
      }
      statements.add(newest.equals(oldest) ? at(prefix, newest) : prefix.then(between(oldest, newest)));
      newest = null;
      oldest = null;
    }

    static InfluxQl at(InfluxQl prefix, long time) {
      return prefix.then("time = ").then(InfluxQl.integer(time));
    }

    static InfluxQl between(long oldest, long newest) {
      return InfluxQl.sql("time >= ").then(InfluxQl.integer(oldest)).then(" AND time <= ")
          .then(InfluxQl.integer(newest));
    }
  }

  private Future<Void> executeInBatches(String tenant, List<InfluxQl> statements) {
    Future<Void> done = Future.succeededFuture();
    for (int from = 0; from < statements.size(); from += STATEMENTS_PER_REQUEST) {
      List<InfluxQl> batch = statements.subList(from, Math.min(statements.size(), from + STATEMENTS_PER_REQUEST));
      done = done.compose(v -> influx.execute(tenant, batch));
    }
    return done;
  }

  private Future<Void> scrubTrails(String tenant, List<Target> targets) {
    List<String> lines = new ArrayList<>(targets.size() * 2);
    for (Target target : targets) {
      lines.addAll(LineProtocol.emptiedTrail(target.eventId(), target.time()));
    }
    Future<Void> done = Future.succeededFuture();
    for (int from = 0; from < lines.size(); from += LINES_PER_WRITE) {
      List<String> batch = lines.subList(from, Math.min(lines.size(), from + LINES_PER_WRITE));
      done = done.compose(v -> influx.write(tenant, batch));
    }
    return done;
  }
}
