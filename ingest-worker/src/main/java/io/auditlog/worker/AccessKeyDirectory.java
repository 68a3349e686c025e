package io.auditlog.worker;

import io.auditlog.store.EventSink;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.auditlog.model.AccessKeyHash;
import io.auditlog.tlog.PgLogin;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/**
 * The tenant of an access key, for records written straight to Kafka: looked up in the accounts database over JDBC
 * (from the consumer thread, never an event loop) and remembered for a few seconds, found or not.
 */
final class AccessKeyDirectory implements KeyOwners, AutoCloseable {

  private final LookupConnection lookups;
  private final Cache<String, Optional<String>> cache;

  AccessKeyDirectory(PgLogin login, Duration ttl) {
    this.lookups = new LookupConnection(login);
    this.cache = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(100_000).build();
  }

  @Override
  public Optional<String> tenantOf(String key) throws EventSink.TransientWriteException {
    String hash = AccessKeyHash.of(key.trim());
    Optional<String> cached = cache.getIfPresent(hash);
    if (cached != null) {
      return cached;
    }
    try {
      Optional<String> tenant = lookups.query("SELECT id FROM users WHERE access_key_hash = ? AND is_active",
          statement -> statement.setString(1, hash),
          rows -> rows.next() ? Optional.of(Long.toString(rows.getLong(1))) : Optional.empty());
      cache.put(hash, tenant);
      return tenant;
    } catch (SQLException e) {
      throw new EventSink.TransientWriteException("accounts database unavailable: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    lookups.close();
  }
}
