package io.auditlog.tlog.keys;

import io.auditlog.verify.SignerKey;
import java.time.Instant;
import java.util.Optional;

/**
 * One stored Ed25519 key pair, unsealed, with its validity. One pair serves every tenant: it signs under each tree's
 * origin as the key name, so its note key ID and vkey differ per origin.
 */
public final class SigningKeyPair {

  private final String id;
  private final byte[] publicKey;
  private final Instant validFrom;
  private final Instant validUntil;
  /** The pair, derived from the seed and checked once; it signs for each origin under that origin's name. */
  private final SignerKey signer;

  SigningKeyPair(String id, byte[] seed, byte[] publicKey, Instant validFrom, Instant validUntil) {
    this.id = id;
    this.signer = SignerKey.fromSeed("stored-key", seed);
    this.publicKey = publicKey.clone();
    this.validFrom = validFrom;
    this.validUntil = validUntil;
  }

  /** The key's row in {@code tlog_keys}. */
  public String id() {
    return id;
  }

  /** The raw 32-byte Ed25519 public key. */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  public Instant validFrom() {
    return validFrom;
  }

  /** Empty while no rotation has ended the key. */
  public Optional<Instant> validUntil() {
    return Optional.ofNullable(validUntil);
  }

  /** The key that signs notes of this origin. */
  public SignerKey signerFor(String origin) {
    return signer.named(origin);
  }

  @Override
  public String toString() {
    return "SigningKeyPair[" + id + "]";
  }
}
