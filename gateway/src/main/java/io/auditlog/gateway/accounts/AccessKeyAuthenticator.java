package io.auditlog.gateway.accounts;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.auditlog.model.ApiException;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Optional;

/**
 * Finds the active account of an access key, remembering answers (found or not) for a few seconds so that ingestion
 * does not query PostgreSQL per request. A key rotated on this gateway is forgotten at once; on other gateways, and
 * for a deactivated account, it stops working when its entry expires.
 */
public final class AccessKeyAuthenticator {

  private final AccountRepository accounts;
  private final AccessKeys keys;
  private final Cache<String, Optional<Account>> cache;

  public AccessKeyAuthenticator(AccountRepository accounts, AccessKeys keys, Duration ttl) {
    this.accounts = accounts;
    this.keys = keys;
    this.cache = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(100_000).build();
  }

  public Future<Account> authenticate(String key) {
    if (key == null || key.isBlank()) {
      return Future.failedFuture(ApiException.unauthorized("API Key is required."));
    }
    String hash = AccessKeys.hash(key.trim());
    Optional<Account> cached = cache.getIfPresent(hash);
    Future<Optional<Account>> found = cached != null ? Future.succeededFuture(cached)
        : accounts.byAccessKeyHash(hash).onSuccess(account -> cache.put(hash, account));
    return found.compose(account -> account.filter(Account::active)
        .map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(ApiException.unauthorized("Invalid API key."))));
  }

  /** Drops what this gateway remembers of the account's current key (before it is replaced). */
  public void forget(Account account) {
    cache.invalidate(AccessKeys.hash(keys.unseal(account.accessKeySealed())));
  }
}
