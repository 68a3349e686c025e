package io.auditlog.gateway.accounts;

import java.time.OffsetDateTime;
import java.util.Optional;

/** A user as stored; the tenant of its events is its id. */
public record Account(
    long id,
    String username,
    String email,
    String passwordHash,
    boolean active,
    boolean admin,
    Optional<String> view,
    int tokenVersion,
    String accessKeySealed,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt) {

  public String tenant() {
    return Long.toString(id);
  }
}
