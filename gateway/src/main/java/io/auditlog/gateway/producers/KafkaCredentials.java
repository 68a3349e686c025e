package io.auditlog.gateway.producers;

import io.auditlog.gateway.accounts.AccessKeys;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Direct producers' Kafka credentials in PostgreSQL: which account owns which principal. Only a SHA-256 hash of each
 * password is kept.
 */
public final class KafkaCredentials {

  private static final String COLUMNS = "principal, created_at";

  private final Pool pool;

  public KafkaCredentials(Pool pool) {
    this.pool = pool;
  }

  /** A live credential, without its password. */
  public record KafkaCredential(String principal, OffsetDateTime createdAt) {
  }

  /**
   * Records a new credential unless the account already has {@code limit} live ones (empty then). The account's row
   * is locked for the transaction, so parallel requests of one account count one after the other.
   */
  public Future<Optional<KafkaCredential>> insertWithin(long userId, String principal, String password, int limit) {
    return pool.withTransaction(connection -> connection
        .preparedQuery("SELECT id FROM users WHERE id = $1 FOR UPDATE").execute(Tuple.of(userId))
        .compose(locked -> connection.preparedQuery("SELECT count(*) FROM kafka_credentials WHERE user_id = $1 "
            + "AND revoked_at IS NULL").execute(Tuple.of(userId)))
        .compose(count -> count.iterator().next().getLong(0) >= limit
            ? Future.succeededFuture(Optional.<KafkaCredential>empty())
            : connection.preparedQuery("INSERT INTO kafka_credentials (user_id, principal, secret_hash) "
                    + "VALUES ($1, $2, $3) RETURNING " + COLUMNS)
                .execute(Tuple.of(userId, principal, AccessKeys.hash(password)))
                .map(rows -> Optional.of(toCredential(rows.iterator().next())))));
  }

  /** Forgets a credential whose Kafka user could not be created. */
  public Future<Void> delete(String principal) {
    return pool.preparedQuery("DELETE FROM kafka_credentials WHERE principal = $1").execute(Tuple.of(principal))
        .mapEmpty();
  }

  public Future<List<KafkaCredential>> list(long userId) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM kafka_credentials WHERE user_id = $1 "
            + "AND revoked_at IS NULL ORDER BY id").execute(Tuple.of(userId))
        .map(rows -> {
          List<KafkaCredential> credentials = new ArrayList<>();
          rows.forEach(row -> credentials.add(toCredential(row)));
          return credentials;
        });
  }

  public Future<Boolean> isLive(long userId, String principal) {
    return pool.preparedQuery("SELECT 1 FROM kafka_credentials WHERE user_id = $1 AND principal = $2 "
            + "AND revoked_at IS NULL").execute(Tuple.of(userId, principal))
        .map(rows -> rows.size() > 0);
  }

  public Future<Void> markRevoked(long userId, String principal) {
    return pool.preparedQuery("UPDATE kafka_credentials SET revoked_at = now() WHERE user_id = $1 "
            + "AND principal = $2 AND revoked_at IS NULL").execute(Tuple.of(userId, principal))
        .mapEmpty();
  }

  private static KafkaCredential toCredential(Row row) {
    return new KafkaCredential(row.getString("principal"), row.getOffsetDateTime("created_at"));
  }
}
