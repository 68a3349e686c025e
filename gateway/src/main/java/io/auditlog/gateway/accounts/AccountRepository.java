package io.auditlog.gateway.accounts;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Users in PostgreSQL. Every statement is parameterised. */
public final class AccountRepository {

  private static final String COLUMNS = "id, username, email, password_hash, is_active, is_admin, view, "
      + "token_version, access_key_sealed, created_at, updated_at";

  private final Pool pool;

  public AccountRepository(Pool pool) {
    this.pool = pool;
  }

  public Future<Optional<Account>> byUsername(String username) {
    return one("SELECT " + COLUMNS + " FROM users WHERE username = $1", Tuple.of(username));
  }

  public Future<Optional<Account>> byId(long id) {
    return one("SELECT " + COLUMNS + " FROM users WHERE id = $1", Tuple.of(id));
  }

  public Future<Optional<Account>> byEmail(String email) {
    return one("SELECT " + COLUMNS + " FROM users WHERE lower(email) = lower($1)", Tuple.of(email));
  }

  public Future<Optional<Account>> activate(long id) {
    return one("UPDATE users SET is_active = TRUE, updated_at = now() WHERE id = $1 RETURNING " + COLUMNS,
        Tuple.of(id));
  }

  /**
   * A change by the signed-in user: sets a new password hash and bumps the token version, so every JWT issued before
   * stops working. API tokens keep working: the user chose to change, nothing says the account was taken over.
   */
  public Future<Optional<Account>> changePassword(long id, String passwordHash) {
    return one("UPDATE users SET password_hash = $2, token_version = token_version + 1, updated_at = now() "
        + "WHERE id = $1 RETURNING " + COLUMNS, Tuple.of(id, passwordHash));
  }

  /**
   * Account recovery: as a change, and revokes every live API token of the account and spends every other unused
   * reset key, since whoever took the account over may hold either. One transaction that first locks the user's
   * row: a token being created meanwhile either committed before (and is revoked here, the revocation being a later
   * statement that sees it) or waits for this one and then finds the token version changed ({@link ApiTokens}).
   */
  public Future<Optional<Account>> resetPassword(long id, String passwordHash) {
    Tuple user = Tuple.of(id);
    return pool.withTransaction(connection -> connection
        .preparedQuery("SELECT 1 FROM users WHERE id = $1 FOR UPDATE").execute(user)
        .compose(locked -> connection.preparedQuery("UPDATE api_tokens SET revoked_at = now() "
            + "WHERE user_id = $1 AND revoked_at IS NULL").execute(user))
        .compose(revoked -> connection.preparedQuery("UPDATE account_keys SET used_at = now() "
            + "WHERE user_id = $1 AND purpose = 'reset' AND used_at IS NULL").execute(user))
        .compose(spent -> connection.preparedQuery("UPDATE users SET password_hash = $2, "
            + "token_version = token_version + 1, updated_at = now() WHERE id = $1 RETURNING " + COLUMNS)
            .execute(Tuple.of(id, passwordHash)))
        .map(AccountRepository::first));
  }

  /** Replaces the access key; the old one matches no user from this moment. */
  public Future<Void> replaceAccessKey(long id, AccessKeys.Issued key) {
    return pool.preparedQuery("UPDATE users SET access_key_hash = $2, access_key_sealed = $3, updated_at = now() "
        + "WHERE id = $1").execute(Tuple.of(id, key.hash(), key.sealed())).mapEmpty();
  }

  public Future<Optional<Account>> setView(long id, String view) {
    return one("UPDATE users SET view = $2, updated_at = now() WHERE id = $1 RETURNING " + COLUMNS,
        Tuple.of(id, view));
  }

  public Future<Optional<Account>> byAccessKeyHash(String hash) {
    return one("SELECT " + COLUMNS + " FROM users WHERE access_key_hash = $1", Tuple.of(hash));
  }

  /** Inserts an account; the unique indexes decide races. */
  public Future<Account> insert(String username, String email, String passwordHash, boolean active, boolean admin,
      AccessKeys.Issued key) {
    return pool.preparedQuery("INSERT INTO users (username, email, password_hash, is_active, is_admin, "
            + "access_key_hash, access_key_sealed) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING " + COLUMNS)
        .execute(Tuple.of(username, email, passwordHash, active, admin, key.hash(), key.sealed()))
        .map(rows -> toAccount(rows.iterator().next()));
  }

  /** Every account, oldest first: what an admin manages. */
  public Future<List<Account>> all() {
    return pool.query("SELECT " + COLUMNS + " FROM users ORDER BY id").execute()
        .map(rows -> {
          List<Account> all = new ArrayList<>(rows.size());
          rows.forEach(row -> all.add(toAccount(row)));
          return all;
        });
  }

  /** The tenant of every active account: those that have an InfluxDB database. */
  public Future<List<String>> activeTenants() {
    return pool.query("SELECT id FROM users WHERE is_active ORDER BY id").execute()
        .map(rows -> {
          List<String> tenants = new ArrayList<>(rows.size());
          rows.forEach(row -> tenants.add(Long.toString(row.getLong("id"))));
          return tenants;
        });
  }

  public Future<Void> ping() {
    return pool.query("SELECT 1").execute().mapEmpty();
  }

  private Future<Optional<Account>> one(String sql, Tuple args) {
    return pool.preparedQuery(sql).execute(args).map(AccountRepository::first);
  }

  private static Optional<Account> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(toAccount(rows.iterator().next()));
  }

  private static Account toAccount(Row row) {
    return new Account(
        row.getLong("id"),
        row.getString("username"),
        row.getString("email"),
        row.getString("password_hash"),
        row.getBoolean("is_active"),
        row.getBoolean("is_admin"),
        Optional.ofNullable(row.getString("view")),
        row.getInteger("token_version"),
        row.getString("access_key_sealed"),
        row.getOffsetDateTime("created_at"),
        row.getOffsetDateTime("updated_at"));
  }
}
