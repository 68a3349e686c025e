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
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@code Idempotency-Key}: the first request with a key reserves it in PostgreSQL (one INSERT decides between
 * concurrent retries), publishes, and stores its answer; a retry with the same key and a byte-identical body within
 * the retention gets that answer without publishing again. The same key with another body is a 409. A request that
 * fails releases its key, so the client can retry.
 */
public final class IdempotencyKeys {

  public static final String HEADER = "Idempotency-Key";
  private static final Pattern VALID = Pattern.compile("[\\x20-\\x7E]{1,255}");

  private final Pool pool;
  private final Duration retention;

  public IdempotencyKeys(Pool pool, Duration retention) {
    this.pool = pool;
    this.retention = retention;
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
   * Runs {@code publish} once per tenant, key and body: the stored answer (JSON text) of an earlier request with the
   * same key and body, or the fresh one.
   */
  public Future<String> once(String tenant, String key, String bodyHash, Supplier<Future<String>> publish) {
    double seconds = retention.toSeconds();
    return pool.preparedQuery("WITH expired AS (DELETE FROM idempotency_keys WHERE tenant = $1 AND key = $2 "
            + "AND created_at < now() - make_interval(secs => $4)) "
            + "INSERT INTO idempotency_keys (tenant, key, body_hash) VALUES ($1, $2, $3) "
            + "ON CONFLICT DO NOTHING RETURNING 1")
        .execute(Tuple.of(tenant, key, bodyHash, seconds))
        .compose(inserted -> inserted.size() > 0 ? publishAndRemember(tenant, key, publish)
            : earlierAnswer(tenant, key, bodyHash));
  }

  private Future<String> publishAndRemember(String tenant, String key, Supplier<Future<String>> publish) {
    return publish.get()
        .compose(answer -> pool.preparedQuery("UPDATE idempotency_keys SET response = $3 WHERE tenant = $1 AND key = $2")
            .execute(Tuple.of(tenant, key, answer)).map(answer))
        .recover(e -> pool.preparedQuery("DELETE FROM idempotency_keys WHERE tenant = $1 AND key = $2 "
                + "AND response IS NULL").execute(Tuple.of(tenant, key))
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

  private static ApiException inProgress() {
    return ApiException.of(409, "idempotency_key_in_progress",
        "A request with this Idempotency-Key is still being processed; retry shortly.");
  }

  /** Forgets keys older than the retention. */
  public Future<Void> purge() {
    return pool.preparedQuery("DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(secs => $1)")
        .execute(Tuple.of((double) retention.toSeconds())).mapEmpty();
  }
}
