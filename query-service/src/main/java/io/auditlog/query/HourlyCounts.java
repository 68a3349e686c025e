package io.auditlog.query;

import io.auditlog.filter.Filter;
import io.auditlog.filter.Variable;
import io.auditlog.model.ApiException;
import io.auditlog.model.Json;
import io.auditlog.store.read.CountsByHour;
import io.auditlog.store.read.Erasing;
import io.vertx.core.Future;
import io.vertx.sqlclient.DatabaseException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.UUID;
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
 * <p>It is also told around every deletion ({@link Erasing}), whether counts are answered here or not: a deletion
 * first voids what it may change (every kept count of the tenant; for retention, the hours it empties) and holds a
 * lease during which no count is stored, then voids the same again and gives the lease back. Storing and voiding take
 * the same per-tenant advisory lock. A lease outlives a crash or a failed end by at most {@link #LEASE}.
 */
final class HourlyCounts implements Erasing {

  private static final Logger LOG = LoggerFactory.getLogger(HourlyCounts.class);

  /** At most this many separate ranges of hours are counted again for one answer; the closest ones are joined. */
  static final int MAX_RANGES = 8;
  /** How long a deletion that began may hold off storing counts, if it never ends (a crash, a failed end). */
  static final String LEASE = "30 minutes";
  /** Tenants are account ids; the ingest workers mark no other. */
  private static final Pattern ACCOUNT = Pattern.compile("[1-9][0-9]{0,17}");
  /** PostgreSQL's code for an undefined table: the counts' tables were never migrated, so nothing is kept. */
  private static final String UNDEFINED_TABLE = "42P01";

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
  /** Marks are locked in the order the workers' upserts take them, so the two never deadlock. */
  private static final String DELETE_MARKS = "DELETE FROM count_marks WHERE (tenant, hour) IN (SELECT tenant, hour"
      + " FROM count_marks WHERE tenant = $1%s ORDER BY hour FOR UPDATE)";
  private static final String LOCK = "SELECT pg_advisory_xact_lock%s(hashtextextended('count_rollups ' || $1, 0))";
  /** The generation, whether a deletion holds a lease, and the first hour retention kept. */
  private static final String GENERATION = "SELECT generation, EXISTS (SELECT FROM count_leases WHERE tenant = $1"
      + " AND until > now()), kept_from FROM count_generations WHERE tenant = $1";
  /** The hours counted, but none that retention emptied since ($7: the first hour it keeps). */
  private static final String STORE = """
      INSERT INTO count_rollups AS r (tenant, variable, hour, generation, version, counts)
      SELECT $1, $2, h, $3, v, c::jsonb FROM unnest($4::bigint[], $5::bigint[], $6::text[]) AS x(h, v, c)
      WHERE $7::bigint IS NULL OR h >= $7
      ON CONFLICT (tenant, variable, hour) DO UPDATE
        SET generation = excluded.generation, version = excluded.version, counts = excluded.counts
        WHERE r.generation < excluded.generation
          OR r.generation = excluded.generation AND r.version <= excluded.version
      """;
  private static final String COVERED = """
      INSERT INTO count_coverage (tenant, variable, generation) VALUES ($1, $2, $3)
      ON CONFLICT (tenant, variable) DO UPDATE SET generation = excluded.generation, counted_at = now()
      """;
  /** A new generation, unless the deletion is retention's ($2). */
  private static final String NEXT_GENERATION = """
      INSERT INTO count_generations AS g (tenant, generation) VALUES ($1, CASE WHEN $2 THEN 0 ELSE 1 END)
      ON CONFLICT (tenant) DO UPDATE SET generation = g.generation + CASE WHEN $2 THEN 0 ELSE 1 END
      """;
  /** A deletion begins: its lease ($2), and lapsed ones of the tenant go. */
  private static final String TAKE_LEASE = "WITH lapsed AS (DELETE FROM count_leases WHERE tenant = $1"
      + " AND until <= now()) INSERT INTO count_leases (tenant, lease, until)"
      + " VALUES ($1, $2, now() + interval '" + LEASE + "')";
  private static final String GIVE_LEASE = "DELETE FROM count_leases WHERE tenant = $1 AND lease = $2";

  private final Pool pool;
  private final CountsByHour influx;
  private final boolean answering;

  /**
   * Kept in the database {@code pool} reaches; counts are answered from it only when {@code answering}, but deletes
   * always void what is kept (counts may have been on before, and may be again).
   */
  HourlyCounts(Pool pool, CountsByHour influx, boolean answering) {
    this.pool = pool;
    this.influx = influx;
    this.answering = answering;
  }

  /**
   * Whether a count by {@code variable} under {@code filter} is answered here: counts are kept only of all of an
   * account's events (no filter, no view), by a variable InfluxDB groups by.
   */
  boolean answers(String tenant, Filter filter, Variable variable) {
    return answering && filter instanceof Filter.MatchAll && CountsByHour.grouped(variable)
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

  @Override
  public Future<UUID> begin(String tenant, OptionalLong olderThan) {
    UUID lease = UUID.randomUUID();
    return voiding(tenant, olderThan, TAKE_LEASE, lease).map(lease).recover(failure -> Future.failedFuture(
        ApiException.unavailable("counts_unavailable", "The counts kept for these events cannot be voided now, so"
            + " nothing was deleted; retry later.", 5)));
  }

  /** Never fails: a failure is logged, and leaves the lease to lapse (counts are not kept until then). */
  @Override
  public Future<Void> end(String tenant, OptionalLong olderThan, UUID lease) {
    return voiding(tenant, olderThan, GIVE_LEASE, lease).recover(failure -> {
      LOG.warn("counts of tenant {} not voided after a delete; none are kept until its lease lapses: {}", tenant,
          failure.toString());
      return Future.succeededFuture();
    });
  }

  /**
   * Under the tenant's lock, moves its generation (not for retention), takes or gives back the lease
   * ({@code statement}) and removes what the deletion may change: for retention, the rows and marks of the hours
   * before the cutoff, and a mark on the hour it cuts; else every row and mark of the tenant. Its coverage rows stay
   * under the generation they were counted in, which no longer covers anything, and tell the {@link CountKeeper}
   * which variables to count again.
   */
  private Future<Void> voiding(String tenant, OptionalLong olderThan, String statement, UUID lease) {
    if (!ACCOUNT.matcher(tenant).matches()) {
      return Future.succeededFuture();
    }
    long account = Long.parseLong(tenant);
    return pool.withTransaction(connection -> locked(connection, account, "")
        .compose(locked -> connection.preparedQuery(NEXT_GENERATION).execute(Tuple.of(account,
            olderThan.isPresent())))
        .compose(moved -> connection.preparedQuery(statement).execute(Tuple.of(account, lease)))
        .compose(leased -> olderThan.isPresent() ? before(connection, account, olderThan.getAsLong())
            : everything(connection, account)))
        .recover(failure -> failure instanceof DatabaseException database
            && UNDEFINED_TABLE.equals(database.getSqlState())
            ? Future.succeededFuture() : Future.failedFuture(failure));
  }

  private static Future<Void> everything(SqlConnection connection, long account) {
    Tuple tenant = Tuple.of(account);
    return connection.preparedQuery("DELETE FROM count_rollups WHERE tenant = $1").execute(tenant)
        .compose(v -> connection.preparedQuery(DELETE_MARKS.formatted("")).execute(tenant))
        .mapEmpty();
  }

  private static Future<Void> before(SqlConnection connection, long account, long nanos) {
    long cut = CountsByHour.hourOf(nanos);
    Tuple older = Tuple.of(account, cut);
    return connection.preparedQuery("DELETE FROM count_rollups WHERE tenant = $1 AND hour < $2").execute(older)
        .compose(v -> connection.preparedQuery(DELETE_MARKS.formatted(" AND hour < $2")).execute(older))
        .compose(v -> connection.preparedQuery("UPDATE count_generations SET kept_from = greatest(kept_from, $2)"
            + " WHERE tenant = $1").execute(older))
        .compose(v -> connection.preparedQuery("INSERT INTO count_marks AS m (tenant, hour, version) VALUES ($1, $2, 1)"
            + " ON CONFLICT (tenant, hour) DO UPDATE SET version = m.version + 1").execute(older))
        .mapEmpty();
  }

  private static Future<?> locked(SqlConnection connection, long account, String mode) {
    return connection.preparedQuery(LOCK.formatted(mode)).execute(Tuple.of(Long.toString(account)));
  }

  /**
   * The hours InfluxDB counts again: the stale ones, and when not every hour was counted yet, every hour between the
   * tenant's oldest and newest event; each hour counted, and each stale hour, with its counts.
   */
  private Future<Map<Long, Map<String, Long>>> recount(String tenant, Variable variable, Snapshot snapshot) {
    Future<List<long[]>> wanted = snapshot.covered
        ? Future.succeededFuture(HourRanges.of(List.copyOf(snapshot.stale.keySet()), List.of(), MAX_RANGES))
        : influx.span(tenant).map(span -> HourRanges.of(List.copyOf(snapshot.stale.keySet()),
            span.map(s -> List.of(new long[] {s.firstHour(), s.lastHour() + 1})).orElse(List.of()), MAX_RANGES));
    return wanted.compose(ranges -> {
      Map<Long, Map<String, Long>> fresh = new TreeMap<>();
      Future<Void> done = Future.succeededFuture();
      for (long[] range : ranges) {
        done = done.compose(v -> count(tenant, variable, range[0], range[1]).map(counts -> {
          counts.forEach((hour, values) -> {
            if (!snapshot.covered || snapshot.stale.containsKey(hour)) {
              fresh.put(hour, values);
            }
          });
          return null;
        }));
      }
      return done.map(v -> {
        snapshot.stale.keySet().forEach(hour -> fresh.putIfAbsent(hour, Map.of()));
        return fresh;
      });
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
   * voids it) and the snapshot's generation. Stored only while the generation is still the snapshot's and no delete
   * holds its lease, under the tenant's lock.
   */
  private Future<Void> store(long account, Variable variable, Snapshot snapshot, Map<Long, Map<String, Long>> fresh) {
    if (fresh.isEmpty() && snapshot.covered) {
      return Future.succeededFuture();
    }
    List<Long> hours = new ArrayList<>(fresh.size());
    List<Long> versions = new ArrayList<>(fresh.size());
    List<String> counts = new ArrayList<>(fresh.size());
    fresh.forEach((hour, values) -> {
      hours.add(hour);
      versions.add(snapshot.stale.getOrDefault(hour, 0L));
      counts.add(Json.toText(values));
    });
    String groupedBy = CountsByHour.groupedBy(variable);
    return pool.withTransaction(connection -> locked(connection, account, "_shared")
        .compose(locked -> connection.preparedQuery(GENERATION).execute(Tuple.of(account)))
        .compose(generation -> {
          Row row = generation.size() == 0 ? null : generation.iterator().next();
          if ((row == null ? 0 : row.getLong(0)) != snapshot.generation || row != null && row.getBoolean(1)) {
            return Future.succeededFuture();
          }
          return connection.preparedQuery(STORE).execute(Tuple.of(account, groupedBy, snapshot.generation,
                  hours.toArray(Long[]::new), versions.toArray(Long[]::new), counts.toArray(String[]::new),
                  row == null ? null : row.getLong(2)))
              .compose(stored -> snapshot.covered ? Future.succeededFuture()
                  : connection.preparedQuery(COVERED).execute(Tuple.of(account, groupedBy, snapshot.generation))
                      .mapEmpty());
        })
        .mapEmpty());
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
