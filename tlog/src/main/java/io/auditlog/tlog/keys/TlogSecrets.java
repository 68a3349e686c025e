package io.auditlog.tlog.keys;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The service's secrets as unsealed from {@code tlog_keys} at one moment: the signing key pairs valid then (newest
 * first, so the active one leads) and K, the key that derives the salts of records that carry none. Never logged:
 * {@link #toString()} names the keys only.
 */
public final class TlogSecrets {

  private final TlogKeys source;
  private final List<SigningKeyPair> signingKeys;
  private final byte[] saltKey;

  TlogSecrets(TlogKeys source, List<SigningKeyPair> signingKeys, byte[] saltKey) {
    this.source = source;
    this.signingKeys = List.copyOf(signingKeys);
    this.saltKey = saltKey.clone();
  }

  /** The signing key pairs that were valid when these secrets were loaded, newest first. */
  public List<SigningKeyPair> signingKeys() {
    return signingKeys;
  }

  /** The signing key pair of that {@code tlog_keys} row, if these secrets hold it. */
  public Optional<SigningKeyPair> signingKey(String id) {
    return signingKeys.stream().filter(key -> key.id().equals(id)).findFirst();
  }

  /** K: the 32-byte key of HMAC-SHA-256 that derives the salts of records that carry none. */
  public byte[] saltKey() {
    return saltKey.clone();
  }

  /** The secrets as stored now, unsealed with the same secret: after a rotation, the new key leads. */
  public TlogSecrets reload() throws SQLException {
    return source.load();
  }

  @Override
  public String toString() {
    return "TlogSecrets[signing keys " + signingKeys + "]";
  }
}
