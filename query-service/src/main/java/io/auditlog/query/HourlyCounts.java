package io.auditlog.query;

import io.auditlog.filter.Filter;
import io.auditlog.filter.Variable;
import io.auditlog.model.ApiException;
import io.auditlog.model.Json;
import io.auditlog.store.read.CountsByHour;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts of all of a tenant's events by a variable InfluxDB groups by, from counts kept per hour in PostgreSQL
 * (db/counts, migrated by the ingest workers), so that a count over millions of events reads a row per hour instead
 * of every event. An hour is counted again by InfluxDB only when its mark moved since it was counted (an ingest
 * worker stored events in it); every hour is, on the first count by a variable and after a delete. What the tables
 * cannot answer (PostgreSQL unreachable, not migrated yet) InfluxDB counts whole, as without them.
 *
 * <p>A delete must {@link #forget} the tenant's counts once its points are gone. Storing counts and forgetting them
 * take the same per-tenant advisory lock, so counts made while a delete ran are either removed by it or never
 * stored.
 */
final class HourlyCounts {

  private static final Logger LOG = LoggerFactory.getLogger(HourlyCounts.class);

  /** At most this many separate ranges of hours are counted again for one answer; the closest ones are joined. */
  static final int MAX_RANGES = 8;
  /** Tenants are account ids; the ingest workers mark no other. */
  private static final Pattern ACCOUNT = Pattern.compile("[1-9][0-9]{0,17}");

  /** One snapshot: the generation, whether every hour was counted once, the sums of the valid rows, stale hours. */
  private static final String SNAPSHOT = """
      WITH gen AS (SELECT coalesce(max(generation), 0) AS g FROM count_generations WHERE tenant = $1),
      marks AS (SELECT hour, version FROM count_marks WHERE tenant = $1),
      kept AS (SELECT r.hour, r.counts FROM count_rollups r CROSS JOIN gen LEFT JOIN marks m ON m.hour = r.hour
               WHERE r.tenant = $1 AND r.variable = $2 AND r.generation = gen.g
                 AND r.version = coalesce(m.version, 0))
      SELECT 'generation' AS kind, NULL::text AS value, g AS n FROM gen
      UNION ALL SELECT 'covered', NULL, 0 FROM count_coverage c, gen
        WHERE c.tenant = $1 AND c.variable = $2 AND c.generation = gen.g
      UNION ALL SELECT 'count', e.key, sum(e.value::bigint)::bigint FROM kept, jsonb_each_text(kept.counts) e
        GROUP BY e.key
      UNION ALL SELECT 'stale', m.hour::text, m.version FROM marks m
        WHERE NOT EXISTS (SELECT FROM kept WHERE kept.hour = m.hour)
      """;
  private static final String LOCK = "SELECT pg_advisory_xact_lock%s(hashtextextended('count_rollups ' || $1, 0))";
  private static final String GENERATION =
      "SELECT coalesce(max(generation), 0) FROM count_generations WHERE tenant = $1";
  private static final String STORE = """
      INSERT INTO count_rollups AS r (tenant, variable, hour, generation, version, counts)
      SELECT $1, $2, h, $3, v, c::jsonb FROM unnest($4::bigint[], $5::bigint[], $6::text[]) AS x(h, v, c)
      ON CONFLICT (tenant, variable, hour) DO UPDATE
        SET generation = excluded.generation, version = excluded.version, counts = excluded.counts
        WHERE r.generation < excluded.generation
          OR r.generation = excluded.generation AND r.version <= excluded.version
      """;
  private static final String COVERED = """
      INSERT INTO count_coverage (tenant, variable, generation) VALUES ($1, $2, $3)
      ON CONFLICT (tenant, variable) DO UPDATE SET generation = excluded.generation, counted_at = now()
      """;
  private static final String NEXT_GENERATION = """
      INSERT INTO count_generations AS g (tenant, generation) VALUES ($1, 1)
      ON CONFLICT (tenant) DO UPDATE SET generation = g.generation + 1
      """;

  private final Pool pool;
  private final CountsByHour influx;

  /** Kept in the database {@code pool} reaches; {@code null}: nothing kept, every count reads every event. */
  HourlyCounts(Pool pool, CountsByHour influx) {
    this.pool = pool;
    this.influx = influx;
  }

  /**
   * Whether a count by {@code variable} under {@code filter} is answered here: counts are kept only of all of an
   * account's events (no filter, no view), by a variable InfluxDB groups by.
   */
  boolean answers(String tenant, Filter filter, Variable variable) {
    return pool != null && filter instanceof Filter.MatchAll && CountsByHour.grouped(variable)
        && ACCOUNT.matcher(tenant).matches();
  }

  /**
   * Events per value of the variable over every event of the tenant, when {@link #answers}; {@code whole} answers
   * when the kept counts cannot be read.
   */
  Future<Map<String, Long>> countBy(String tenant, Variable variable, Supplier<Future<Map<String, Long>>> whole) {
    long account = Long.parseLong(tenant);
    return pool.preparedQuery(SNAPSHOT).execute(Tuple.of(account, CountsByHour.groupedBy(variable)))
        .transform(read -> {
          if (read.failed()) {
            LOG.warn("kept counts unreadable, counting every event: {}", read.cause().toString());
            return whole.get();
          }
          Snapshot snapshot = Snapshot.of(read.result());
          return recount(tenant, variable, snapshot).compose(fresh -> store(account, variable, snapshot, fresh)
              .otherwise(failure -> {
                LOG.warn("counts of tenant {} not kept: {}", tenant, failure.toString());
                return null;
              })
              .map(v -> snapshot.total(fresh)));
        });
  }

  /**
   * Voids every count kept for the tenant: called after events were deleted, before the delete answers. Waits for
   * counts being stored to be stored (they are removed too).
   */
  Future<Void> forget(String tenant) {
    if (pool == null || !ACCOUNT.matcher(tenant).matches()) {
      return Future.succeededFuture();
    }
    long account = Long.parseLong(tenant);
    return pool.withTransaction(connection -> connection.preparedQuery(LOCK.formatted(""))
        .execute(Tuple.of(Long.toString(account)))
        .compose(locked -> connection.preparedQuery(NEXT_GENERATION).execute(Tuple.of(account)))
        .compose(bumped -> connection.preparedQuery("DELETE FROM count_rollups WHERE tenant = $1")
            .execute(Tuple.of(account)))
        .compose(deleted -> connection.preparedQuery("DELETE FROM count_coverage WHERE tenant = $1")
            .execute(Tuple.of(account)))
        .mapEmpty());
  }

  /** The hours InfluxDB counts again: the stale ones, and when not every hour was counted yet, all of them. */
  private Future<Map<Long, Map<String, Long>>> recount(String tenant, Variable variable, Snapshot snapshot) {
    Future<List<Long>> hours = snapshot.covered
        ? Future.succeededFuture(List.copyOf(snapshot.stale.keySet()))
        : influx.span(tenant).map(span -> {
          List<Long> all = new ArrayList<>(snapshot.stale.keySet());
          span.ifPresent(s -> {
            for (long hour = s.firstHour(); hour <= s.lastHour(); hour++) {
              if (!snapshot.stale.containsKey(hour)) {
                all.add(hour);
              }
            }
          });
          all.sort(null);
          return all;
        });
    return hours.compose(wanted -> {
      Map<Long, Map<String, Long>> fresh = new TreeMap<>();
      wanted.forEach(hour -> fresh.put(hour, new HashMap<>()));
      Future<Void> done = Future.succeededFuture();
      for (long[] range : ranges(wanted, MAX_RANGES)) {
        done = done.compose(v -> count(tenant, variable, range[0], range[1]).map(counts -> {
          counts.forEach((hour, values) -> {
            if (fresh.containsKey(hour)) {
              fresh.put(hour, values);
            }
          });
          return null;
        }));
      }
      return done.map(v -> fresh);
    });
  }

  /**
   * Counts {@code [from, to)} by hour; a range whose answer would be too large to read is counted in halves (a
   * tenant's events may span decades, and an hour's answer holds a row per category and value).
   */
  private Future<Map<Long, Map<String, Long>>> count(String tenant, Variable variable, long from, long to) {
    return influx.count(tenant, variable, from, to).recover(failure -> {
      if (to - from < 2 || !(failure instanceof ApiException refused) || refused.status() != 422) {
        return Future.failedFuture(failure);
      }
      long middle = from + (to - from) / 2;
      return count(tenant, variable, from, middle).compose(older -> count(tenant, variable, middle, to)
          .map(newer -> {
            Map<Long, Map<String, Long>> both = new HashMap<>(older);
            both.putAll(newer);
            return both;
          }));
    });
  }

  /**
   * Keeps the hours just counted, each under the version of its mark read in the snapshot (so a write since then
   * voids it) and the snapshot's generation; an hour with neither a mark nor events is not kept. Stored only while
   * the generation is still the snapshot's, under the tenant's lock.
   */
  private Future<Void> store(long account, Variable variable, Snapshot snapshot, Map<Long, Map<String, Long>> fresh) {
    List<Long> hours = new ArrayList<>();
    List<Long> versions = new ArrayList<>();
    List<String> counts = new ArrayList<>();
    fresh.forEach((hour, values) -> {
      Long version = snapshot.stale.get(hour);
      if (version != null || !values.isEmpty()) {
        hours.add(hour);
        versions.add(version == null ? 0L : version);
        counts.add(Json.toText(values));
      }
    });
    if (hours.isEmpty() && snapshot.covered) {
      return Future.succeededFuture();
    }
    return pool.withTransaction(connection -> connection.preparedQuery(LOCK.formatted("_shared"))
        .execute(Tuple.of(Long.toString(account)))
        .compose(locked -> connection.preparedQuery(GENERATION).execute(Tuple.of(account)))
        .compose(generation -> {
          if (generation.iterator().next().getLong(0) != snapshot.generation) {
            return Future.succeededFuture();
          }
          Tuple row = Tuple.of(account, CountsByHour.groupedBy(variable), snapshot.generation);
          return connection.preparedQuery(STORE).execute(Tuple.of(account, CountsByHour.groupedBy(variable),
                  snapshot.generation,
                  hours.toArray(Long[]::new), versions.toArray(Long[]::new), counts.toArray(String[]::new)))
              .compose(stored -> snapshot.covered ? Future.succeededFuture()
                  : connection.preparedQuery(COVERED).execute(row).mapEmpty());
        })
        .mapEmpty());
  }

  /**
   * Consecutive hours as {@code [from, to)} ranges, at most {@code max} of them: while there are more, the two
   * separated by the fewest hours are joined (the hours between are counted too, and not used).
   */
  static List<long[]> ranges(List<Long> sortedHours, int max) {
    List<long[]> ranges = new ArrayList<>();
    for (long hour : sortedHours) {
      long[] last = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
      if (last != null && last[1] == hour) {
        last[1] = hour + 1;
      } else {
        ranges.add(new long[] {hour, hour + 1});
      }
    }
    while (ranges.size() > max) {
      int closest = 0;
      for (int i = 1; i < ranges.size() - 1; i++) {
        if (ranges.get(i + 1)[0] - ranges.get(i)[1] < ranges.get(closest + 1)[0] - ranges.get(closest)[1]) {
          closest = i;
        }
      }
      ranges.get(closest)[1] = ranges.remove(closest + 1)[1];
    }
    return ranges;
  }

  /** What the snapshot statement read. */
  private static final class Snapshot {
    long generation;
    boolean covered;
    final Map<String, Long> kept = new HashMap<>();
    /** Hour → the version of its mark, for every marked hour without valid counts. */
    final Map<Long, Long> stale = new TreeMap<>();

    static Snapshot of(Iterable<Row> rows) {
      Snapshot snapshot = new Snapshot();
      for (Row row : rows) {
        switch (row.getString(0)) {
          case "generation" -> snapshot.generation = row.getLong(2);
          case "covered" -> snapshot.covered = true;
          case "count" -> snapshot.kept.put(row.getString(1), row.getLong(2));
          case "stale" -> snapshot.stale.put(Long.parseLong(row.getString(1)), row.getLong(2));
          default -> throw new IllegalStateException("unexpected row " + row.getString(0));
        }
      }
      return snapshot;
    }

    /** The kept counts (only while every hour was counted once) plus those just counted. */
    Map<String, Long> total(Map<Long, Map<String, Long>> fresh) {
      Map<String, Long> total = new HashMap<>(covered ? kept : Map.of());
      fresh.values().forEach(values -> values.forEach((value, count) -> total.merge(value, count, Long::sum)));
      total.values().removeIf(count -> count == 0);
      return total;
    }
  }
}
