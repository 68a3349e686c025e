package io.auditlog.worker;

import io.auditlog.store.EventSink;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.auditlog.model.AccessKeyHash;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/**
 * The tenant of an access key, for records written straight to Kafka: looked up in the accounts database over JDBC
 * (from the consumer thread, never an event loop) and remembered for a few seconds, found or not.
 */
final class AccessKeyDirectory implements KeyOwners, AutoCloseable {

  private final String url;
  private final String user;
  private final String password;
  private final Cache<String, Optional<String>> cache;
  private Connection connection;

  AccessKeyDirectory(String url, String user, String password, Duration ttl) {
    this.url = url;
    this.user = user;
    this.password = password;
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
      Optional<String> tenant = lookup(hash);
      cache.put(hash, tenant);
      return tenant;
    } catch (SQLException e) {
      closeQuietly();
      throw new EventSink.TransientWriteException("accounts database unavailable: " + e.getMessage(), e);
    }
  }

  private Optional<String> lookup(String hash) throws SQLException {
    if (connection == null || connection.isClosed()) {
      connection = DriverManager.getConnection(url, user, password);
    }
    try (PreparedStatement statement = connection.prepareStatement(
        "SELECT id FROM users WHERE access_key_hash = ? AND is_active")) {
      statement.setString(1, hash);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? Optional.of(Long.toString(rows.getLong(1))) : Optional.empty();
      }
    }
  }

  private void closeQuietly() {
    try {
      if (connection != null) {
        connection.close();
      }
    } catch (SQLException ignored) {
      // reconnect on the next lookup
    }
    connection = null;
  }

  @Override
  public void close() {
    closeQuietly();
  }
}
