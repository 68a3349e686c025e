package io.auditlog.gateway.limits;

import io.auditlog.model.ApiException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Attempts counted per key in PostgreSQL, so that every gateway instance sees the same counts: an attempt is
 * reserved under each of its keys at once, or under none when any key has used up its limit within its window.
 * Reserving is one transaction: first an advisory lock per key (taken in ascending order, so two reservations never
 * wait on each other in a cycle), then one statement that counts the live attempts and inserts the new ones, which
 * therefore sees every reservation made before the locks were granted. Parallel attempts cannot pass a limit
 * together, on one gateway or several. A reservation may be released (its rows deleted) when the attempt turns out
 * not to count, as a right password does.
 *
 * <p>In one gateway, reservations under a key are made one at a time, the others waiting in memory
 * ({@link KeyQueues}): a flood of attempts under one key (wrong tokens from one address, say) then holds one pooled
 * connection, not every one while each waits on the key's lock, and past {@value #MAX_WAITING_PER_KEY} waiting the
 * next is refused at once (a 429 with a second to wait), not counted.
 */
public final class AttemptLimits {

  private static final String LOCK = "SELECT count(pg_advisory_xact_lock(h)) FROM (SELECT DISTINCT "
      + "hashtextextended(k, 0) AS h FROM unnest($1::text[]) AS k ORDER BY h) AS keys";
  /** The limits of one request ($1 keys, $2 maxima, $3 windows in seconds) and the live attempts under each. */
  private static final String COUNTED = "WITH limits AS (SELECT * FROM unnest($1::text[], $2::int[], $3::float8[]) "
      + "AS l(key, max, secs)), "
      + "seen AS (SELECT l.key, l.max, l.secs, count(a.key) AS used, min(a.expires_at) AS oldest FROM limits l "
      + "LEFT JOIN rate_limit_attempts a ON a.key = l.key AND a.expires_at > now() GROUP BY l.key, l.max, l.secs)";
  /** Whether the attempt may go ahead, and if not, in how many seconds the limits that are used up free a place. */
  private static final String VERDICT =
      "ceil(extract(epoch FROM max(oldest - now()) FILTER (WHERE used >= max)))::bigint FROM seen";
  private static final String RESERVE = COUNTED
      + ", reserved AS (INSERT INTO rate_limit_attempts (attempt, key, expires_at) "
      + "SELECT $4, key, now() + make_interval(secs => secs) FROM seen "
      + "WHERE NOT EXISTS (SELECT 1 FROM seen WHERE used >= max) RETURNING key) "
      + "SELECT (SELECT count(*) > 0 FROM reserved), " + VERDICT;
  private static final String CHECK = COUNTED + " SELECT bool_and(used < max), " + VERDICT;

  /** Reservations that may wait in memory for one key; more are refused at once. */
  static final int MAX_WAITING_PER_KEY = 100;

  private final Pool pool;
  private final KeyQueues queues = new KeyQueues(MAX_WAITING_PER_KEY);

  public AttemptLimits(Pool pool) {
    this.pool = pool;
  }

  /** At most {@code max} attempts under {@code key} within {@code window}. */
  public record Limit(String key, int max, Duration window) {
  }

  /** An attempt counted under its keys until it expires or is released. */
  public final class Reservation {

    private final UUID attempt;

    private Reservation(UUID attempt) {
      this.attempt = attempt;
    }

    /** Stops counting this attempt. */
    public Future<Void> release() {
      return pool.preparedQuery("DELETE FROM rate_limit_attempts WHERE attempt = $1").execute(Tuple.of(attempt))
          .mapEmpty();
    }
  }

  /** Counts one attempt under every limit, or fails with {@code refusal} (a 429) when any is used up. */
  public Future<Reservation> reserve(List<Limit> limits, String refusal) {
    UUID attempt = UUID.randomUUID();
    Tuple args = arguments(limits).addValue(attempt);
    List<String> keys = limits.stream().map(Limit::key).distinct().sorted().toList();
    return queues.run(keys, () -> pool.withTransaction(connection -> lock(connection, keys.toArray(String[]::new))
                .compose(locked -> connection.preparedQuery(RESERVE).execute(args))),
            () -> ApiException.tooManyRequests(refusal, 1))
        .compose(rows -> verdict(rows.iterator().next(), refusal))
        .map(allowed -> new Reservation(attempt));
  }

  /**
   * Fails with {@code refusal} (a 429) when any limit is used up, without counting an attempt: for a check that
   * cannot fail, such as a password already known to be right, which must still be refused while its limits are.
   */
  public Future<Void> check(List<Limit> limits, String refusal) {
    return pool.preparedQuery(CHECK).execute(arguments(limits))
        .compose(rows -> verdict(rows.iterator().next(), refusal));
  }

  /** Forgets attempts that no longer count. */
  public Future<Void> purge() {
    return pool.query("DELETE FROM rate_limit_attempts WHERE expires_at < now()").execute().mapEmpty();
  }

  private static Tuple arguments(List<Limit> limits) {
    return Tuple.of(
        limits.stream().map(Limit::key).toArray(String[]::new),
        limits.stream().map(Limit::max).toArray(Integer[]::new),
        limits.stream().map(l -> l.window().toMillis() / 1000.0).toArray(Double[]::new));
  }

  private static Future<Void> verdict(Row row, String refusal) {
    if (row.getBoolean(0)) {
      return Future.succeededFuture();
    }
    Long retryAfter = row.getLong(1);
    return Future.failedFuture(ApiException.tooManyRequests(refusal, retryAfter == null ? 1 : Math.max(1, retryAfter)));
  }

  private static Future<?> lock(SqlConnection connection, String[] keys) {
    return connection.preparedQuery(LOCK).execute(Tuple.of((Object) keys));
  }
}
