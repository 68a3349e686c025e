package io.auditlog.worker;

import io.auditlog.store.EventSink;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.auditlog.model.AccessKeyHash;
import io.auditlog.tlog.PgLogin;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The tenant of an access key, for records written straight to Kafka: looked up in the accounts database over JDBC
 * (from the consumer thread, never an event loop), a batch's keys together, and remembered for a few seconds, found or
 * not.
 */
final class AccessKeyDirectory implements KeyOwners, AutoCloseable {

  /** The most keys one query looks up. */
  static final int KEYS_PER_QUERY = 1_000;

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
      throw unavailable(e);
    }
  }

  @Override
  public void prefetch(Collection<String> keys) throws EventSink.TransientWriteException {
    Set<String> unknown = new LinkedHashSet<>();
    for (String key : new HashSet<>(keys)) {
      String hash = AccessKeyHash.of(key.trim());
      if (cache.getIfPresent(hash) == null) {
        unknown.add(hash);
      }
    }
    List<String> hashes = List.copyOf(unknown);
    for (int from = 0; from < hashes.size(); from += KEYS_PER_QUERY) {
      List<String> some = hashes.subList(from, Math.min(hashes.size(), from + KEYS_PER_QUERY));
      Map<String, String> found;
      try {
        found = lookups.query("SELECT access_key_hash, id FROM users WHERE access_key_hash = ANY(?) AND is_active",
            statement -> statement.setArray(1, statement.getConnection().createArrayOf("text", some.toArray())),
            rows -> {
              Map<String, String> tenants = new HashMap<>();
              while (rows.next()) {
                tenants.put(rows.getString(1), Long.toString(rows.getLong(2)));
              }
              return tenants;
            });
      } catch (SQLException e) {
        throw unavailable(e);
      }
      some.forEach(hash -> cache.put(hash, Optional.ofNullable(found.get(hash))));
    }
  }

  private static EventSink.TransientWriteException unavailable(SQLException e) {
    return new EventSink.TransientWriteException("accounts database unavailable: " + e.getMessage(), e);
  }

  @Override
  public void close() {
    lookups.close();
  }
}
