package io.auditlog.gateway.accounts;

import io.auditlog.model.ApiException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** API tokens in PostgreSQL: only a SHA-256 hash of each token is kept; revocation takes effect at once. */
public final class ApiTokens {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String COLUMNS = "id, user_id, name, view, permissions, created_at";

  private final Pool pool;
  private final int perAccount;

  /** {@code perAccount}: the live tokens an account may have ({@code AUDIT_API_TOKENS_PER_ACCOUNT}). */
  public ApiTokens(Pool pool, int perAccount) {
    this.pool = pool;
    this.perAccount = perAccount;
  }

  /** A stored token, without its secret. */
  public record ApiToken(long id, long userId, String name, Optional<String> view, List<String> permissions,
      OffsetDateTime createdAt) {

    public boolean allows(String permission) {
      return permissions.contains(permission);
    }
  }

  /** A token just created: the only moment its secret exists outside the client. */
  public record Created(ApiToken token, String secret) {
  }

  /**
   * A new token for the user, only while the session that asks is current and the account has fewer than its limit of
   * live tokens (409 {@code too_many_tokens}): the user's row at {@code tokenVersion} is locked for the transaction,
   * so a token requested while a password reset runs either exists before the reset revokes the account's tokens or
   * is refused afterwards (401), never created behind it, and parallel requests of one account count one after the
   * other. (Without a limit, 2,000 tokens with 16,000-character views made a listing of 32 MB.)
   */
  public Future<Created> create(long userId, int tokenVersion, String name, Optional<String> view,
      List<String> permissions) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    String secret = "alt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    return pool.withTransaction(connection -> connection
        .preparedQuery("SELECT id FROM users WHERE id = $1 AND token_version = $2 FOR UPDATE")
        .execute(Tuple.of(userId, tokenVersion))
        .compose(locked -> locked.size() == 0 ? Future.failedFuture(UserTokens.invalid())
            : connection.preparedQuery("SELECT count(*) FROM api_tokens WHERE user_id = $1 AND revoked_at IS NULL")
                .execute(Tuple.of(userId)))
        .compose(count -> count.iterator().next().getLong(0) >= perAccount
            ? Future.failedFuture(ApiException.of(409, "too_many_tokens", "An account may have " + perAccount
                + " live API tokens; revoke one first."))
            : connection.preparedQuery("INSERT INTO api_tokens (user_id, name, token_hash, view, permissions) "
                    + "VALUES ($1, $2, $3, $4, $5) RETURNING " + COLUMNS)
                .execute(Tuple.of(userId, name, AccessKeys.hash(secret), view.orElse(null),
                    permissions.toArray(new String[0])))
                .map(rows -> new Created(toToken(rows.iterator().next()), secret))));
  }

  public Future<List<ApiToken>> list(long userId) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM api_tokens WHERE user_id = $1 AND revoked_at IS NULL "
            + "ORDER BY id").execute(Tuple.of(userId))
        .map(rows -> {
          List<ApiToken> tokens = new ArrayList<>();
          rows.forEach(row -> tokens.add(toToken(row)));
          return tokens;
        });
  }

  /** The live token with this secret. */
  public Future<Optional<ApiToken>> bySecret(String secret) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL")
        .execute(Tuple.of(AccessKeys.hash(secret)))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(toToken(rows.iterator().next())));
  }

  /** True when a live token of this user was revoked. */
  public Future<Boolean> revoke(long userId, long tokenId) {
    return pool.preparedQuery("UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND user_id = $2 "
            + "AND revoked_at IS NULL").execute(Tuple.of(tokenId, userId))
        .map(rows -> rows.rowCount() > 0);
  }

  private static ApiToken toToken(Row row) {
    return new ApiToken(row.getLong("id"), row.getLong("user_id"), row.getString("name"),
        Optional.ofNullable(row.getString("view")), List.of(row.getArrayOfStrings("permissions")),
        row.getOffsetDateTime("created_at"));
  }
}
