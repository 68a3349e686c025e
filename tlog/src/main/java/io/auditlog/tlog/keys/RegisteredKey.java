package io.auditlog.tlog.keys;

import java.time.Instant;

/**
 * A signing key as {@code tlog_keys} registers it, without its sealed private half.
 *
 * @param id its row's key id
 * @param publicKey the raw 32-byte Ed25519 public key
 * @param validUntil null while no rotation has ended the key
 * @param active whether it is the key that signs first (one at a time)
 * @param validNow whether it signs now, by the database's clock
 */
public record RegisteredKey(String id, byte[] publicKey, Instant validFrom, Instant validUntil, boolean active,
    boolean validNow) {

  public RegisteredKey {
    publicKey = publicKey.clone();
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }
}
