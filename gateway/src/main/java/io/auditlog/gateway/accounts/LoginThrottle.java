package io.auditlog.gateway.accounts;

import io.auditlog.model.ApiException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * Brute-force protection shared by every gateway (the failures live in PostgreSQL): more than
 * {@code perUser} failed logins for one username, or {@code perAddress} from one address, within the window, and
 * every login attempt for it — the right password too — is a 429 with {@code Retry-After} until the window passes.
 */
public final class LoginThrottle {

  private final Pool pool;
  private final int perUser;
  private final int perAddress;
  private final Duration window;

  public LoginThrottle(Pool pool, int perUser, int perAddress, Duration window) {
    this.pool = pool;
    this.perUser = perUser;
    this.perAddress = perAddress;
    this.window = window;
  }

  /** Fails with 429 while the username or the address is over its limit. */
  public Future<Void> check(String username, String address) {
    double seconds = window.toMillis() / 1000.0;
    return pool.preparedQuery("SELECT "
            + "count(*) FILTER (WHERE username = $1), min(at) FILTER (WHERE username = $1), "
            + "count(*) FILTER (WHERE address = $2), min(at) FILTER (WHERE address = $2), now() "
            + "FROM login_failures WHERE (username = $1 OR address = $2) AND at > now() - make_interval(secs => $3)")
        .execute(Tuple.of(username, address, seconds))
        .compose(rows -> {
          Row row = rows.iterator().next();
          OffsetDateTime now = row.getOffsetDateTime(4);
          if (row.getLong(0) >= perUser) {
            return Future.failedFuture(tooMany(row.getOffsetDateTime(1), now));
          }
          if (row.getLong(2) >= perAddress) {
            return Future.failedFuture(tooMany(row.getOffsetDateTime(3), now));
          }
          return Future.succeededFuture();
        });
  }

  /** Records one failure (and forgets those that left the window). */
  public Future<Void> recordFailure(String username, String address) {
    return pool.preparedQuery("WITH cleanup AS (DELETE FROM login_failures WHERE at < now() - make_interval(secs => $3)) "
            + "INSERT INTO login_failures (username, address) VALUES ($1, $2)")
        .execute(Tuple.of(username, address, window.toMillis() / 1000.0))
        .mapEmpty();
  }

  private ApiException tooMany(OffsetDateTime oldest, OffsetDateTime now) {
    long retryAfter = Math.max(1, window.minus(Duration.between(oldest, now)).toSeconds() + 1);
    return ApiException.tooManyRequests("Too many failed logins; retry later.", retryAfter);
  }
}
