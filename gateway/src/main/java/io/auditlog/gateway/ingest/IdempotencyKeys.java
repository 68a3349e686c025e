package io.auditlog.gateway.ingest;

import io.auditlog.model.ApiException;
import io.auditlog.model.FieldError;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * {@code Idempotency-Key}: the first request with a key reserves it in PostgreSQL together with the stamp of its
 * events (one INSERT decides between concurrent retries), publishes, and stores its answer; a retry with the same
 * key and a byte-identical body within the retention gets that answer without publishing again. The same key with
 * another body is a 409.
 *
 * <p>A request that fails (a 503 after some of its events were acknowledged, say) keeps its reservation and ends
 * its lease: a retry with the same body takes the reservation over and republishes the stored stamp, the very same
 * events with the same ids and timestamps, which InfluxDB stores as the same points. A request that never finishes
 * (its gateway stopped) holds the lease until it runs out. While a lease runs, a retry is a 409 in progress.
 */
public final class IdempotencyKeys {

  public static final String HEADER = "Idempotency-Key";
  private static final Pattern VALID = Pattern.compile("[\\x20-\\x7E]{1,255}");

  private final Pool pool;
  private final Duration retention;
  private final Duration lease;
  private final String prefix;
  private final List<IdempotencyKeys> scopes = new CopyOnWriteArrayList<>();

  /** {@code lease}: longer than a publish can take, so a live request is never taken over. */
  public IdempotencyKeys(Pool pool, Duration retention, Duration lease) {
    this(pool, retention, lease, "");
  }

  private IdempotencyKeys(Pool pool, Duration retention, Duration lease, String prefix) {
    this.pool = pool;
    this.retention = retention;
    this.lease = lease;
    this.prefix = prefix;
  }

  /**
   * The keys that begin with {@code prefix}, kept for their own {@code retention}: this store's {@link #purge()}
   * purges them with that retention, not its own.
   */
  public IdempotencyKeys scoped(String prefix, Duration retention) {
    IdempotencyKeys scope = new IdempotencyKeys(pool, retention, lease, prefix);
    scopes.add(scope);
    return scope;
  }

  /** The header's key, checked: 1 to 255 printable ASCII characters. */
  public static Optional<String> parse(String header) {
    if (header == null) {
      return Optional.empty();
    }
    if (!VALID.matcher(header).matches()) {
      throw ApiException.validation(new FieldError(List.of("header", HEADER),
          "must be 1 to 255 printable ASCII characters", "value_error.idempotency_key"));
    }
    return Optional.of(header);
  }

  /**
   * Publishes once per tenant, key and body: the stored answer (JSON text) of an earlier request with the same key
   * and body, or the answer of {@code publish} given {@code fresh} (a new key) or the stamp stored with the key (a
   * retry of a request that did not finish).
   */
  public Future<String> once(String tenant, String key, String bodyHash, BatchStamp fresh,
      Function<BatchStamp, Future<String>> publish) {
    return reserve(tenant, key, bodyHash, fresh)
        .compose(reserved -> reserved ? Future.succeededFuture(Optional.of(fresh)) : takeOver(tenant, key, bodyHash))
        .compose(claimed -> claimed.isPresent() ? publishAndRemember(tenant, key, claimed.get(), publish)
            : earlierAnswer(tenant, key, bodyHash));
  }

  private Future<Boolean> reserve(String tenant, String key, String bodyHash, BatchStamp stamp) {
    return pool.preparedQuery("WITH expired AS (DELETE FROM idempotency_keys WHERE tenant = $1 AND key = $2 "
            + "AND created_at < now() - make_interval(secs => $4)) "
            + "INSERT INTO idempotency_keys (tenant, key, body_hash, stamp, claimed_until) "
            + "VALUES ($1, $2, $3, $5, now() + make_interval(secs => $6)) ON CONFLICT DO NOTHING RETURNING 1")
        .execute(Tuple.of(tenant, key, bodyHash, (double) retention.toSeconds(), stamp.toJson(), seconds(lease)))
        .map(inserted -> inserted.size() > 0);
  }

  /** The stored stamp, when the key's request with this body failed or its lease ran out; one UPDATE decides. */
  private Future<Optional<BatchStamp>> takeOver(String tenant, String key, String bodyHash) {
    return pool.preparedQuery("UPDATE idempotency_keys SET claimed_until = now() + make_interval(secs => $4) "
            + "WHERE tenant = $1 AND key = $2 AND body_hash = $3 AND response IS NULL AND stamp IS NOT NULL "
            + "AND claimed_until <= now() RETURNING stamp")
        .execute(Tuple.of(tenant, key, bodyHash, seconds(lease)))
        .map(rows -> rows.size() == 0 ? Optional.empty()
            : Optional.of(BatchStamp.fromJson(rows.iterator().next().getString("stamp"))));
  }

  private Future<String> publishAndRemember(String tenant, String key, BatchStamp stamp,
      Function<BatchStamp, Future<String>> publish) {
    return publish.apply(stamp)
        .compose(answer -> pool.preparedQuery("UPDATE idempotency_keys SET response = $3 "
                + "WHERE tenant = $1 AND key = $2").execute(Tuple.of(tenant, key, answer)).map(answer))
        .recover(e -> pool.preparedQuery("UPDATE idempotency_keys SET claimed_until = now() "
                + "WHERE tenant = $1 AND key = $2 AND response IS NULL").execute(Tuple.of(tenant, key))
            .transform(ignored -> Future.failedFuture(e)));
  }

  private Future<String> earlierAnswer(String tenant, String key, String bodyHash) {
    return pool.preparedQuery("SELECT body_hash, response FROM idempotency_keys WHERE tenant = $1 AND key = $2")
        .execute(Tuple.of(tenant, key))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.failedFuture(inProgress());
          }
          Row row = rows.iterator().next();
          if (!bodyHash.equals(row.getString("body_hash"))) {
            return Future.failedFuture(ApiException.of(409, "idempotency_key_reused",
                "This Idempotency-Key was used with a different body."));
          }
          String response = row.getString("response");
          return response == null ? Future.failedFuture(inProgress()) : Future.succeededFuture(response);
        });
  }

  private static double seconds(Duration duration) {
    return duration.toMillis() / 1000.0;
  }

  private static ApiException inProgress() {
    return ApiException.of(409, "idempotency_key_in_progress",
        "A request with this Idempotency-Key is still being processed; retry shortly.");
  }

  /** Forgets the keys older than their retention: this store's own, then those of each scope. */
  public Future<Void> purge() {
    String[] others = scopes.stream().map(scope -> scope.prefix.replaceAll("([\\\\%_])", "\\\\$1") + "%")
        .toArray(String[]::new);
    Future<Void> own = pool.preparedQuery("DELETE FROM idempotency_keys "
            + "WHERE created_at < now() - make_interval(secs => $1) AND starts_with(key, $2) AND NOT key LIKE ANY($3)")
        .execute(Tuple.of((double) retention.toSeconds(), prefix, others)).mapEmpty();
    return scopes.stream().reduce(own, (done, scope) -> done.compose(v -> scope.purge()), (a, b) -> b);
  }
}
