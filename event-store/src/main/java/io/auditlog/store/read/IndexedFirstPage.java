package io.auditlog.store.read;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditlog.filter.Filter;
import io.auditlog.filter.StoreTime;
import io.auditlog.model.InfluxNames;
import io.auditlog.store.InfluxQl;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The first page of a log query without a filter, ids first. {@code SELECT * ... ORDER BY time DESC LIMIT n} over a
 * category opens a cursor for every series and field of it, tens of thousands on a busy tenant, to return fifty
 * rows. The trail index instead holds every event's time and series in {@value InfluxNames#TRAIL_BUCKETS} series:
 * its newest points give the page's events, kept by category and tags from their series key, and then only those
 * series are read, between those times, in one statement. A query by a string that a series' shape keeps as a field
 * (not in its key) is left to the plain read.
 *
 * <p>The answer is the same as the plain query's or there is none (and the caller runs the plain query): when the
 * newest {@link #CHUNK} × {@link #ROUNDS} index points hold fewer matching events than the page needs (a rare
 * category, the last page, or events stored before the index existed, all older than every indexed one), or when an
 * index point's event is not stored (a write the store refused in part).
 */
final class IndexedFirstPage {

  /** Index points read at a time, and how many times at most for one page. */
  static final int CHUNK = 2_000;
  static final int ROUNDS = 8;

  private final InfluxQueries influx;

  IndexedFirstPage(InfluxQueries influx) {
    this.influx = influx;
  }

  /** True when the query is one this index can answer: the first page, no filter, only tag equalities. */
  static boolean answers(LogQuery query) {
    return query.page() == 1 && query.filter() instanceof Filter.MatchAll && query.fields().isEmpty();
  }

  /** The page plus one event (when there is a next page), newest first; empty when the plain query must answer. */
  Future<Optional<List<ObjectNode>>> page(LogQuery query) {
    return choose(query, new Chosen(query.size() + 1), StoreTime.nanos(query.stop()), 1);
  }

  /** The index points of one page so far: their series, the oldest and newest chosen time, and how many. */
  private static final class Chosen {
    final int wanted;
    final Set<String> series = new LinkedHashSet<>();
    final Map<String, Boolean> matching = new HashMap<>();
    long oldest = Long.MAX_VALUE;
    long newest = Long.MIN_VALUE;
    int kept;

    Chosen(int wanted) {
      this.wanted = wanted;
    }

    void add(String key, long time) {
      series.add(key);
      oldest = Math.min(oldest, time);
      newest = Math.max(newest, time);
      kept++;
    }
  }

  /** Reads the next {@link #CHUNK} index points older than {@code before}, until the page is filled. */
  private Future<Optional<List<ObjectNode>>> choose(LogQuery query, Chosen chosen, long before, int round) {
    InfluxQl index = InfluxQl.sql("SELECT ").then(InfluxQl.identifier(InfluxNames.FIELD_SERIES)).then(" FROM ")
        .then(InfluxQl.identifier(InfluxNames.TRAILS)).then(" WHERE time >= ")
        .then(InfluxQl.integer(StoreTime.nanos(query.start()))).then(" AND time < ")
        .then(InfluxQl.integer(before)).then(" ORDER BY time DESC LIMIT " + CHUNK);
    return influx.run(query.tenant(), index).compose(result -> {
      JsonNode points = result.path("series").path(0).path("values");
      long oldest = before;
      for (JsonNode point : points) {
        if (chosen.kept == chosen.wanted) {
          return read(query.tenant(), chosen);
        }
        String key = point.path(1).asText();
        oldest = point.path(0).asLong();
        // A deleted event's index point is scrubbed (empty fields); a condition on it would cost a second cursor.
        if (key.isEmpty()) {
          continue;
        }
        Boolean matching = chosen.matching.get(key);
        if (matching == null) {
          SeriesKey parsed = SeriesKey.parse(key);
          if (!parsed.shape().tags().containsAll(query.tags().keySet())) {
            // A string the series' shape keeps as a field is not in its key: the plain read decides.
            return Future.succeededFuture(Optional.empty());
          }
          matching = matches(parsed, query);
          chosen.matching.put(key, matching);
        }
        if (matching) {
          chosen.add(key, oldest);
        }
      }
      if (chosen.kept == chosen.wanted) {
        return read(query.tenant(), chosen);
      }
      // A page the index cannot fill may have older events stored before the index existed: the plain read decides.
      return points.size() < CHUNK || round == ROUNDS ? Future.succeededFuture(Optional.empty())
          : choose(query, chosen, oldest, round + 1);
    });
  }

  private static boolean matches(SeriesKey key, LogQuery query) {
    if (!key.measurement().equals(query.category())) {
      return false;
    }
    for (Map.Entry<String, String> tag : query.tags().entrySet()) {
      if (!tag.getValue().equals(key.tags().get(tag.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Reads the chosen series between the oldest and the newest chosen time, as one statement: every event of a chosen
   * series in that range is itself chosen (the chosen are all the matching events since the oldest of them), so the
   * answer must be exactly the chosen events.
   */
  private Future<Optional<List<ObjectNode>>> read(String tenant, Chosen chosen) {
    List<InfluxQl> series = new ArrayList<>();
    String measurement = null;
    for (String key : chosen.series) {
      SeriesKey parsed = SeriesKey.parse(key);
      measurement = parsed.measurement();
      series.add(InfluxQl.sql("(").then(parsed.condition()).then(")"));
    }
    InfluxQl query = InfluxQl.sql("SELECT * FROM ").then(InfluxQl.identifier(measurement))
        .then(" WHERE (").then(InfluxQl.join(series, " OR ")).then(") AND time >= ")
        .then(InfluxQl.integer(chosen.oldest)).then(" AND time <= ").then(InfluxQl.integer(chosen.newest))
        .then(" ORDER BY time DESC LIMIT " + (chosen.kept + 1));
    return influx.run(tenant, query, result -> {
      List<InfluxEventStore.Timed> events = InfluxEventStore.rows(result, row -> true);
      if (events.size() != chosen.kept) {
        return Optional.<List<ObjectNode>>empty();
      }
      events.sort(Comparator.comparingLong(InfluxEventStore.Timed::nanos).reversed());
      return Optional.of(events.stream().map(InfluxEventStore.Timed::event).toList());
    });
  }
}
