package io.auditlog.gateway.accounts;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * Activation and reset keys: 256 random bits, stored only as a hash, bound to one purpose, usable once and only
 * before they expire. Consuming is one UPDATE, so two concurrent uses cannot both succeed.
 */
public final class OneTimeKeys {

  /** What a key may be used for; a key of one purpose never works for the other. */
  public enum Purpose {
    ACTIVATION("activation"), RESET("reset");

    final String column;

    Purpose(String column) {
      this.column = column;
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Pool pool;
  private final Duration ttl;

  public OneTimeKeys(Pool pool, Duration ttl) {
    this.pool = pool;
    this.ttl = ttl;
  }

  /** A new key for the user; the clear key is returned once and never stored. */
  public Future<String> issue(long userId, Purpose purpose) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String key = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    return pool.preparedQuery("INSERT INTO account_keys (key_hash, user_id, purpose, expires_at) "
            + "VALUES ($1, $2, $3, now() + make_interval(secs => $4))")
        .execute(Tuple.of(AccessKeys.hash(key), userId, purpose.column, (double) ttl.toMillis() / 1000))
        .map(key);
  }

  /**
   * Whether the key could be consumed now, without consuming it: checked before a reset spends an Argon2id hash on
   * the new password, so requests with made-up keys cost the gateway one lookup each.
   */
  public Future<Boolean> live(String key, Purpose purpose) {
    if (!plausible(key)) {
      return Future.succeededFuture(false);
    }
    return pool.preparedQuery("SELECT 1 FROM account_keys WHERE key_hash = $1 AND purpose = $2 AND used_at IS NULL "
            + "AND expires_at > now()")
        .execute(Tuple.of(AccessKeys.hash(key), purpose.column))
        .map(rows -> rows.size() > 0);
  }

  /** Marks the key used and answers its user, when it exists, has this purpose, is unused and unexpired. */
  public Future<Optional<Long>> consume(String key, Purpose purpose) {
    if (!plausible(key)) {
      return Future.succeededFuture(Optional.empty());
    }
    return pool.preparedQuery("UPDATE account_keys SET used_at = now() WHERE key_hash = $1 AND purpose = $2 "
            + "AND used_at IS NULL AND expires_at > now() RETURNING user_id")
        .execute(Tuple.of(AccessKeys.hash(key), purpose.column))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getLong(0)));
  }

  private static boolean plausible(String key) {
    return key != null && !key.isEmpty() && key.length() <= 128;
  }
}
