package io.auditlog.query;

import io.auditlog.filter.Variable;
import io.auditlog.filter.Variables;
import io.auditlog.store.read.CountsByHour;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the counts of {@link HourlyCounts} current in the background, so that a count by a variable does not wait
 * for the hours that changed since the last one (a tenant whose strings are fields has every row of those hours
 * read). Every round, the (tenant, variable) pairs counted before whose ended hours changed since (an ingest worker
 * stored events in them), or whose counts a deletion voided, are counted again one at a time, the least recently
 * counted first, exactly as a caller's count counts them: the tenant's own share of InfluxDB, the same lock,
 * generation and lease. A tenant is left alone while a deletion of its events holds its lease. The hour under way is
 * counted with the others but is no reason to count on its own, so a tenant that keeps writing costs one count of its
 * changed hours a round at most. Each pair is claimed in PostgreSQL for a round's length before it is counted, so
 * several query-services share the work instead of repeating it. A variable nobody ever counted by is not kept.
 */
final class CountKeeper {

  private static final Logger LOG = LoggerFactory.getLogger(CountKeeper.class);

  /** At most this many pairs are counted in a round; the others wait for the next. */
  static final int PAIRS_PER_ROUND = 20;
  /** The variables whose counts are kept, by the name their rows carry ({@link CountsByHour#groupedBy}). */
  private static final Map<String, Variable> KEPT = Stream.of("category", "app", "env", "method", "status", "level",
          "event.name", "event.type", "resource.type")
      .map(name -> Variables.resolve(name).orElseThrow()).filter(CountsByHour::grouped)
      .collect(Collectors.toMap(CountsByHour::groupedBy, Function.identity()));
  /**
   * Claims the pairs due ($1: the hour under way, $2: how many, $3: a round's seconds) for a round: counted under an
   * older generation, or with an ended hour whose mark moved since it was counted; no lease held; not counted or
   * claimed within the round.
   */
  private static final String CLAIM = """
      UPDATE count_coverage AS c SET counted_at = now()
      FROM (SELECT k.tenant, k.variable FROM count_coverage k LEFT JOIN count_generations g ON g.tenant = k.tenant
            WHERE k.counted_at < now() - make_interval(secs => $3)
              AND NOT EXISTS (SELECT FROM count_leases l WHERE l.tenant = k.tenant AND l.until > now())
              AND (k.generation <> coalesce(g.generation, 0)
                OR EXISTS (SELECT FROM count_marks m WHERE m.tenant = k.tenant AND m.hour < $1
                  AND NOT EXISTS (SELECT FROM count_rollups r WHERE r.tenant = k.tenant AND r.variable = k.variable
                    AND r.hour = m.hour AND r.generation = coalesce(g.generation, 0) AND r.version = m.version)))
            ORDER BY k.counted_at LIMIT $2 FOR UPDATE OF k SKIP LOCKED) AS due
      WHERE c.tenant = due.tenant AND c.variable = due.variable
      RETURNING c.tenant, c.variable
      """;

  private final Pool pool;
  private final HourlyCounts counts;
  private final Duration round;
  private final Clock clock;
  /** Set by a tick on the service's context, cleared where the round's last statement completes (the pool's). */
  private final AtomicBoolean running = new AtomicBoolean();

  CountKeeper(Pool pool, HourlyCounts counts, Duration round, Clock clock) {
    this.pool = pool;
    this.counts = counts;
    this.round = round;
    this.clock = clock;
  }

  /** Starts a round unless the last one is still counting; called every {@code round} on the service's context. */
  void tick() {
    if (running.compareAndSet(false, true)) {
      keep().onComplete(kept -> {
        running.set(false);
        LOG.debug("counts kept this round: {}", kept.result());
      });
    }
  }

  /** One round: how many pairs were counted again. Never fails; a failure is logged and left to the next round. */
  Future<Integer> keep() {
    long hourUnderWay = CountsByHour.hourOf(TimeUnit.MILLISECONDS.toNanos(clock.millis()));
    return pool.preparedQuery(CLAIM).execute(Tuple.of(hourUnderWay, PAIRS_PER_ROUND, round.toMillis() / 1000.0))
        .compose(claimed -> {
          Future<Integer> done = Future.succeededFuture(0);
          for (Row pair : claimed) {
            done = done.compose(kept -> count(pair.getLong(0), pair.getString(1)).map(ok -> kept + (ok ? 1 : 0)));
          }
          return done;
        })
        .recover(failure -> {
          LOG.warn("kept counts not brought up to date this round: {}", failure.toString());
          return Future.succeededFuture(0);
        });
  }

  private Future<Boolean> count(long tenant, String groupedBy) {
    Variable variable = KEPT.get(groupedBy);
    if (variable == null) {
      return Future.succeededFuture(false);
    }
    return counts.countBy(Long.toString(tenant), variable,
            () -> Future.failedFuture(new IllegalStateException("the kept counts are unreadable")))
        .map(true)
        .recover(failure -> {
          LOG.warn("counts of tenant {} by {} not brought up to date: {}", tenant, groupedBy, failure.toString());
          return Future.succeededFuture(false);
        });
  }
}
